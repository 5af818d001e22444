"""SFO (skolefritidsordning, after-school care): applying for a place for a child in grades 1–4,
or 1–7 with special needs (opplæringslova § 4-5). The rules and their sources are in
sfo/rules.py; the application (steps, facts, checks) in sfo/application.py."""

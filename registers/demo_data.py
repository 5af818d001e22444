"""The demo population shared by the local adapters (population register, and later KRR and
the property register). Synthetic national identity numbers in the style of Skatteetaten's
test population (Tenor: month + 80), so they can never belong to a real person."""

import datetime

KARI = "12849040160"   # Kari Nordmann: mother of Emma, Noah and Sofie
PER = "30898830140"    # Per Hansen: their father, the other guardian
EMMA = "10832650183"   # born 10 March 2026
NOAH = "05902651030"   # born 5 October 2026
SOFIE = "01862152057"  # born 1 June 2021
AHMED = "23817920187"  # Ahmed Ali: general manager of Ali Bygg AS
REIDUN = "02874110070" # Reidun Dahl: 85, reserved against digital contact
LARS = "24920115043"   # Lars Berg: young adult, no children

# Mjøndalen and Krokstadelva lie in Drammen (3301) since the merger of 2020. The Nordmann family
# moved there from Lier (3312), where Emma's kindergarten application was made.
ADDRESS_NORDMANN = {"street": "Storgata 1", "postcode": "3050", "city": "Mjøndalen", "municipality_number": "3301"}

PEOPLE = [
    {
        "national_id": KARI, "first_name": "Kari", "last_name": "Nordmann",
        "birth_date": datetime.date(1990, 4, 12), "address": ADDRESS_NORDMANN,
        "children": [EMMA, NOAH, SOFIE], "guardians": [],
    },
    {
        "national_id": PER, "first_name": "Per", "last_name": "Hansen",
        "birth_date": datetime.date(1988, 9, 30), "address": ADDRESS_NORDMANN,
        "children": [EMMA, NOAH, SOFIE], "guardians": [],
    },
    {
        "national_id": EMMA, "first_name": "Emma", "last_name": "Nordmann",
        "birth_date": datetime.date(2026, 3, 10), "address": ADDRESS_NORDMANN,
        "children": [], "guardians": [KARI, PER],
    },
    {
        "national_id": NOAH, "first_name": "Noah", "last_name": "Nordmann",
        "birth_date": datetime.date(2026, 10, 5), "address": ADDRESS_NORDMANN,
        "children": [], "guardians": [KARI, PER],
    },
    {
        "national_id": SOFIE, "first_name": "Sofie", "last_name": "Nordmann",
        "birth_date": datetime.date(2021, 6, 1), "address": ADDRESS_NORDMANN,
        "children": [], "guardians": [KARI, PER],
    },
    {
        "national_id": AHMED, "first_name": "Ahmed", "last_name": "Ali",
        "birth_date": datetime.date(1979, 1, 23),
        "address": {"street": "Industrivegen 12", "postcode": "3050", "city": "Mjøndalen", "municipality_number": "3301"},
        "children": [], "guardians": [],
    },
    {
        "national_id": REIDUN, "first_name": "Reidun", "last_name": "Dahl",
        "birth_date": datetime.date(1941, 7, 2),
        "address": {"street": "Kirkevegen 7", "postcode": "3054", "city": "Krokstadelva", "municipality_number": "3301"},
        "children": [], "guardians": [],
    },
    {
        "national_id": LARS, "first_name": "Lars", "last_name": "Berg",
        "birth_date": datetime.date(2001, 12, 24),
        "address": {"street": "Elvegata 3B", "postcode": "3050", "city": "Mjøndalen", "municipality_number": "3301"},
        "children": [], "guardians": [],
    },
]

# Organisations and who may act for them (as Altinn/Enhetsregisteret would tell).
ORGANISATIONS = [
    {"organisation_number": "988077917", "name": "Ali Bygg AS",
     "representatives": [(AHMED, "daglig_leder")]},
    {"organisation_number": "974760673", "name": "Nordmann Eiendom AS",
     "representatives": [(KARI, "styreleder")]},
]

# People who may log in through test ID-porten (adults).
LOGIN_PEOPLE = [KARI, PER, AHMED, REIDUN, LARS]

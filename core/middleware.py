from registers.snapshot import register_snapshot


class RegisterSnapshotMiddleware:
    """Each request is one operation: a register answer is fetched once per request however
    many forms, summaries and checks ask for it (registers.snapshot)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with register_snapshot():
            return self.get_response(request)

import logging
import re

# 11 digits standing alone: a fødselsnummer or D-number. Redacted from every log record.
_NATIONAL_ID = re.compile(r"(?<!\d)(\d{6})\d{5}(?!\d)")


class RedactNationalIdsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _NATIONAL_ID.sub(r"\1*****", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True

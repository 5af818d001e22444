import logging
import re

# 11 digits standing alone: a fødselsnummer or D-number. Redacted from every log record.
_NATIONAL_ID = re.compile(r"(?<!\d)(\d{6})\d{5}(?!\d)")
_formatter = logging.Formatter()


def redact(text: str) -> str:
    return _NATIONAL_ID.sub(r"\1*****", text)


class RedactNationalIdsFilter(logging.Filter):
    """Masks national identity numbers in the message, its arguments and any traceback
    (a database error may quote the number: `Key (national_id)=(...) already exists`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set, so the traceback is printed redacted.
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True

"""Domain events of correspondence, for the apps above (notifications writes the outbox rows):

    letter_created(letter)
        a letter was written; sent in its transaction
    message_sent(message)
        a message entered a thread (from the citizen or the municipality); sent in its transaction
"""

from django.dispatch import Signal

letter_created = Signal()
message_sent = Signal()

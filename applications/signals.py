"""Domain events of applications, for the apps above (statistics):

    draft_deleted(type_key, started_at, municipality_id)
        a draft was deleted without being submitted (by the applicant, or expired); sent in the
        deleting transaction, before the draft is gone
"""

from django.dispatch import Signal

draft_deleted = Signal()

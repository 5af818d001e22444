"""Domain events of applications, for the apps above (statistics, the archive):

    draft_deleted(type_key, started_at, municipality_id)
        a draft was deleted without being submitted (by the applicant, or expired); sent in the
        deleting transaction, before the draft is gone
    application_submitted(case, application)
        an application was submitted and its case created; sent in the submitting transaction,
        right after the case (the archive journals the application as the case's first document)
"""

from django.dispatch import Signal

draft_deleted = Signal()
application_submitted = Signal()

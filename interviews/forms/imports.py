from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from interviews.crm_import.reading import MAX_FILE_BYTES

MAX_UPLOAD_BYTES = MAX_FILE_BYTES


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[
            ("owners", _("Owners (sales and customer-success people)")),
            ("accounts", _("Customer accounts")),
            ("contacts", _("Contacts (people who could be interviewed)")),
        ],
        help_text=_("Import owners first, then accounts, then contacts."),
    )
    layout = forms.ChoiceField(
        label=_("Exported from"),
        choices=[
            ("salesforce", "Salesforce"),
            ("hubspot", "HubSpot"),
            ("custom", _("Other (custom mapping)")),
        ],
    )
    mapping = forms.CharField(
        label=_("Custom column mapping (JSON, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('For example {"crm_id": "Code", "name": "Company", "owner_email": "Rep"}.'),
    )
    file = forms.FileField(label=_("CSV file (UTF-8 or Shift_JIS)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload

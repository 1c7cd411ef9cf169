from django import forms
from django.core.exceptions import ValidationError

from records.attachments import CheckedUpload, check_upload


class ChildSearchForm(forms.Form):
    query = forms.CharField(
        label="Find a child",
        max_length=200,
        help_text="A first name, a last name, a full name or a date of birth (for example 14/03/2022). "
        "Search is exact: spelling must match, capitals and accents do not matter.",
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Attach a file",
        help_text="PDF, PNG, JPEG, Word (DOCX), OpenDocument text (ODT) or plain text, up to 20 MB.",
    )

    def clean_file(self) -> CheckedUpload:
        try:
            return check_upload(self.cleaned_data["file"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

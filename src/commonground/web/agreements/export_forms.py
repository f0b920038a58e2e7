"""Forms of the table import: the upload, and the confirmation that carries the previewed file.

The confirmation carries the uploaded file itself, signed and compressed by Django's ``signing`` with a
salt naming the partnership, the table and the person, so the server keeps nothing between the preview
and the confirmation and applies exactly the file that was previewed (re-checked in full on confirm).
"""

from __future__ import annotations

import base64
import dataclasses

from django import forms
from django.core import signing

from commonground.core.agreement.spreadsheets import FORMATS

# An upload's size limit: 10,000 rows of measurements fit in well under 1 MB of CSV. The signed copy
# the confirmation carries (base64, about 4/3 of it) stays under DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB).
IMPORT_MAX_BYTES = 1024 * 1024
# A preview is confirmed within this many seconds, or uploaded again.
CONFIRM_WITHIN = 60 * 60


class TableUploadForm(forms.Form):
    """A CSV or XLSX file with one table, at most ``IMPORT_MAX_BYTES``."""

    file = forms.FileField(
        help_text="A .csv (UTF-8) or .xlsx file with one header row, at most 1 MB. You will see every row "
        "and every problem before anything is saved."
    )

    def clean_file(self) -> object:
        """Refuse files that are too large or of another type, before reading them."""
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {IMPORT_MAX_BYTES:,} bytes (1 MB)."
            )
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in FORMATS:
            raise forms.ValidationError("Choose a .csv or .xlsx file.")
        return upload


@dataclasses.dataclass(frozen=True)
class Upload:
    """A file as uploaded: its name and its bytes."""

    name: str
    data: bytes


def _salt(partnership_id: int, table: str, user_id: int) -> str:
    return f"agreement-table-import:{partnership_id}:{table}:{user_id}"


def upload_token(upload: Upload, *, partnership_id: int, table: str, user_id: int) -> str:
    """The upload, signed for this partnership, table and person, to carry through the confirmation."""
    payload = {"name": upload.name, "data": base64.b64encode(upload.data).decode("ascii")}
    return signing.dumps(payload, salt=_salt(partnership_id, table, user_id), compress=True)


class ConfirmForm(forms.Form):
    """The confirmation of a previewed import: the signed upload and the version it was previewed at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    upload = forms.CharField(widget=forms.HiddenInput, max_length=2 * IMPORT_MAX_BYTES)

    def __init__(self, *args: object, partnership_id: int, table: str, user_id: int, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.salt = _salt(partnership_id, table, user_id)

    def clean_upload(self) -> Upload:
        """The previewed file, if the signature holds and the preview is recent enough."""
        try:
            payload = signing.loads(self.cleaned_data["upload"], salt=self.salt, max_age=CONFIRM_WITHIN)
            return Upload(str(payload["name"]), base64.b64decode(payload["data"], validate=True))
        except signing.SignatureExpired:
            raise forms.ValidationError(
                "The preview is more than an hour old: upload the file again."
            ) from None
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                "The preview could not be read back: upload the file again."
            ) from None

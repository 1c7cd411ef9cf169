from django import forms


class ChildSearchForm(forms.Form):
    query = forms.CharField(
        label="Find a child",
        max_length=200,
        help_text="A first name, a last name, a full name or a date of birth (for example 14/03/2022). "
        "Search is exact: spelling must match, capitals and accents do not matter.",
    )

"""Admin list pages with editable columns (`list_editable`): each field of each row named for
screen readers ("Position de « Remboursements »"), which the admin leaves unlabelled."""

from django.utils.translation import gettext as _


class LabelledListEditableMixin:
    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class LabelledForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, field in self.fields.items():
                    label = str(field.label or name).capitalize()
                    if self.instance.pk:
                        label = _("%(field)s de « %(object)s »") % {
                            "field": label,
                            "object": self.instance,
                        }
                    field.widget.attrs["aria-label"] = label

        return LabelledForm


class LabelledInlineMixin:
    """A tabular inline whose fields are named for screen readers (the column headers are not
    their labels): "Date de début, ligne 2"."""

    def get_formset(self, request, obj=None, **kwargs):
        base = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(base):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                row = index + 1 if index is not None else "+"
                for name, field in form.fields.items():
                    label = _("%(field)s, ligne %(row)s") % {
                        "field": str(field.label or name).capitalize(),
                        "row": row,
                    }
                    widget = field.widget
                    widget.attrs = {**widget.attrs, "aria-label": label}
                    inner = getattr(widget, "widget", None)  # a related-object wrapper
                    if inner is not None:
                        inner.attrs = {**inner.attrs, "aria-label": label}

        return LabelledFormSet

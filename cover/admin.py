"""The insurer's cover data in the admin (/gestion/): formules and their guarantees, optional
covers, contracts, bank details, payments and their lines.

This is where managers create and correct what the CSV imports load (cover/imports/). The same
rules hold here: a reimbursement line is checked as the import checks it (`line_problems`), its
member is its payment's, and after any change to a payment or its lines the payment's amount is
recomputed as the sum of the lines' insurer shares (`payment_amounts_refresh`), so that what
the member reads always adds up.

The payments and lines tables are large (millions of lines): their searches are exact matches
on indexed identifiers, and their lists never count the whole table.
"""

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from accounts.models import Beneficiary, Member
from cover.imports.reimbursements import line_problems, payment_amounts_refresh
from cover.models import (
    BankDetails,
    Contract,
    ContractKind,
    Guarantee,
    OptionalCover,
    Payment,
    Product,
    Reimbursement,
)
from cover.pdf import euros
from cover.services import member_collective_flags_sync
from portal.history import ReferenceHistoryAdmin


def _member(member: Member) -> str:
    return f"{member.member_number} · {member.full_name}"


def _day(value) -> str:
    return date_format(value, "d/m/Y") if value else "—"


def _identifier_search(queryset, search_term: str, **lookups):
    """Lines whose identifiers start with the term, or whose member has this number: indexed
    lookups, where the admin's default `icontains` would read the whole table. `lookups`
    names more conditions, each given the term."""
    term = search_term.strip()
    if not term:
        return queryset, False
    found = Q(member__in=Member.objects.filter(member_number=term).values("pk"))
    for lookup, value in lookups.items():
        found |= Q(**{lookup: value(term) if callable(value) else term})
    return queryset.filter(found), False


# -- Formules and options ----------------------------------------------------------------------
class GuaranteeInline(admin.TabularInline):
    model = Guarantee
    extra = 0
    fields = [
        "position",
        "care_type",
        "label",
        "coverage",
        "card_code",
        "card_value",
        "terms",
    ]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
    }
    verbose_name_plural = gettext_lazy("Tableau des garanties")


@admin.register(Product)
class ProductAdmin(ReferenceHistoryAdmin):
    """A formule and its tableau des garanties (what the member reads and downloads)."""

    list_display = ["code", "name", "level", "guarantee_count", "contract_count"]
    search_fields = ["code", "name"]
    search_help_text = gettext_lazy("Code ou nom de la formule.")
    inlines = [GuaranteeInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                guarantee_total=Count("guarantees", distinct=True),
                contract_total=Count("contracts", distinct=True),
            )
        )

    # The formule's history lists its guarantees' versions too (they are edited inline).
    object_history_template = "admin/cover/product/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        guarantees = Guarantee.history.filter(product_id=object_id).select_related("history_user")
        extra_context = {**(extra_context or {}), "guarantee_versions": guarantees[:200]}
        return super().history_view(request, object_id, extra_context)

    @admin.display(description=gettext_lazy("garanties"), ordering="guarantee_total")
    def guarantee_count(self, obj):
        return obj.guarantee_total

    @admin.display(description=gettext_lazy("contrats"), ordering="contract_total")
    def contract_count(self, obj):
        return obj.contract_total


@admin.register(OptionalCover)
class OptionalCoverAdmin(admin.ModelAdmin):
    """The options members may ask for ("Ajouter une option"), with their monthly price."""

    list_display = ["name", "code", "monthly_price", "active", "position"]
    list_display_links = ["name"]
    list_editable = ["monthly_price", "active", "position"]
    list_filter = ["active"]
    search_fields = ["code", "name"]


# -- Contracts ---------------------------------------------------------------------------------
class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "number",
            "member",
            "product",
            "kind",
            "start_date",
            "end_date",
            "company_name",
            "company_siret",
            "company_contact",
            "options",
        ]
        widgets = {"options": forms.CheckboxSelectMultiple}

    def clean_company_siret(self):
        value = self.cleaned_data["company_siret"]
        if not value:
            return value
        try:
            return stdnum_siret.validate(value)
        except StdnumError:
            raise forms.ValidationError(
                _("Ce SIRET n'est pas valide : 14 chiffres attendus, clé comprise."),
                code="invalid_siret",
            ) from None

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("La date de radiation ne peut pas précéder la date d'entrée.")
            )
        if data.get("kind") == ContractKind.COLLECTIVE and not data.get("company_name"):
            self.add_error("company_name", _("Indiquez la société d'un contrat collectif."))
        return data


@admin.register(Contract)
class ContractAdmin(ReferenceHistoryAdmin):
    form = ContractForm
    list_display = [
        "number",
        "member_column",
        "product",
        "kind",
        "company_name",
        "start_date",
        "end_date",
    ]
    list_filter = ["kind", "product"]
    search_fields = ["number", "member__member_number", "member__last_name", "company_name"]
    search_help_text = gettext_lazy("Numéro de contrat, numéro ou nom de l'adhérent, ou société.")
    list_select_related = ["member", "product"]
    autocomplete_fields = ["member"]
    fieldsets = [
        (
            None,
            {"fields": ["number", "member", "product", "kind", "start_date", "end_date"]},
        ),
        (gettext_lazy("Contrat collectif"), {"fields": ["company_name", "company_siret"]}),
        (gettext_lazy("Options souscrites"), {"fields": ["options"]}),
    ]

    @admin.display(description=gettext_lazy("adhérent"), ordering="member__last_name")
    def save_model(self, request, obj, form, change):
        members = {obj.member_id}
        if change and "member" in form.changed_data:
            members.add(form.initial.get("member"))
        super().save_model(request, obj, form, change)
        member_collective_flags_sync(member_ids=members)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        member_collective_flags_sync(member_ids={obj.member_id})

    def delete_queryset(self, request, queryset):
        members = set(queryset.values_list("member_id", flat=True))
        super().delete_queryset(request, queryset)
        member_collective_flags_sync(member_ids=members)

    def member_column(self, obj):
        return _member(obj.member)


# -- Bank details ------------------------------------------------------------------------------
class BankDetailsForm(forms.ModelForm):
    class Meta:
        model = BankDetails
        fields = ["member", "holder", "iban", "bic"]

    def clean_iban(self):
        try:
            return stdnum_iban.validate(self.cleaned_data["iban"])
        except StdnumError:
            raise forms.ValidationError(
                _("Cet IBAN n'est pas valide : vérifiez-le sur le RIB."), code="invalid_iban"
            ) from None

    def clean_bic(self):
        value = self.cleaned_data["bic"]
        if not value:
            return value
        try:
            return stdnum_bic.validate(value)
        except StdnumError:
            raise forms.ValidationError(
                _("Ce BIC n'est pas valide : 8 ou 11 caractères."), code="invalid_bic"
            ) from None


@admin.register(BankDetails)
class BankDetailsAdmin(admin.ModelAdmin):
    form = BankDetailsForm
    list_display = ["member_column", "holder", "iban_masked", "bic", "updated_at"]
    search_fields = ["member__member_number", "member__last_name", "holder"]
    search_help_text = gettext_lazy("Numéro ou nom de l'adhérent, ou titulaire du compte.")
    list_select_related = ["member"]
    autocomplete_fields = ["member"]
    readonly_fields = ["updated_at"]

    @admin.display(description=gettext_lazy("adhérent"), ordering="member__last_name")
    def member_column(self, obj):
        return _member(obj.member)

    @admin.display(description=gettext_lazy("IBAN"))
    def iban_masked(self, obj):
        return obj.iban_masked


# -- Payments and their lines ------------------------------------------------------------------
class ReimbursementForm(forms.ModelForm):
    """A reimbursement line, checked as the import checks it. Its payment is the inline's
    parent (`payment`) or the one chosen; its beneficiary, one of that payment's member's."""

    class Meta:
        model = Reimbursement
        fields = [
            "external_id",
            "payment",
            "care_date",
            "beneficiary",
            "care_type",
            "act",
            "practitioner",
            "real_cost",
            "ss_base",
            "ss_share",
            "insurer_share",
        ]

    def __init__(self, *args, payment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_payment = payment
        if payment is None and self.instance.payment_id:
            payment = self.instance.payment
        if "beneficiary" in self.fields:
            field = self.fields["beneficiary"]
            member_id = payment.member_id if payment is not None else None
            field.queryset = (
                Beneficiary.objects.filter(member_id=member_id)
                if member_id
                else Beneficiary.objects.none()
            )
            field.help_text = _("Vide : les soins de l'adhérent lui-même.")

    def clean(self):
        data = super().clean()
        payment = data.get("payment") or self.parent_payment
        if payment is None:
            return data
        beneficiary = data.get("beneficiary")
        if beneficiary is not None and beneficiary.member_id != payment.member_id:
            self.add_error(
                "beneficiary", _("Ce bénéficiaire n'est pas un ayant droit de l'adhérent payé.")
            )
        for problem in line_problems(
            real_cost=data.get("real_cost"),
            ss_base=data.get("ss_base"),
            ss_share=data.get("ss_share"),
            insurer_share=data.get("insurer_share"),
            care_date=data.get("care_date"),
            payment_date=payment.payment_date,
        ):
            self.add_error(None, problem[:1].upper() + problem[1:] + ".")
        return data


class ReimbursementFormSet(BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "payment": self.instance}


class ReimbursementInline(admin.TabularInline):
    model = Reimbursement
    form = ReimbursementForm
    formset = ReimbursementFormSet
    fields = [
        "external_id",
        "care_date",
        "beneficiary",
        "care_type",
        "act",
        "practitioner",
        "real_cost",
        "ss_base",
        "ss_share",
        "insurer_share",
    ]
    extra = 0
    verbose_name = gettext_lazy("acte remboursé")
    verbose_name_plural = gettext_lazy("Actes remboursés")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("beneficiary")


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """A payment and its lines. Its amount is not typed: it is the sum of the lines'
    insurer shares, recomputed at each save."""

    list_display = [
        "number",
        "payment_date",
        "member_column",
        "payee_kind",
        "payee_name",
        "amount_column",
    ]
    list_filter = ["payee_kind", "payment_date"]
    search_fields = ["number", "member__member_number"]
    search_help_text = gettext_lazy("Numéro de paiement (ou son début) ou numéro d'adhérent.")
    list_select_related = ["member"]
    autocomplete_fields = ["member"]
    show_full_result_count = False
    fields = ["number", "member", "payment_date", "payee_kind", "payee_name", "amount_column"]
    readonly_fields = ["amount_column"]
    inlines = [ReimbursementInline]

    def get_search_results(self, request, queryset, search_term):
        return _identifier_search(queryset, search_term, number__startswith=None)

    @admin.display(description=gettext_lazy("adhérent"), ordering="member__last_name")
    def member_column(self, obj):
        return _member(obj.member)

    @admin.display(description=gettext_lazy("montant payé"), ordering="amount")
    def amount_column(self, obj):
        return euros(obj.amount) if obj.pk else _("Calculé à l'enregistrement")

    def save_formset(self, request, form, formset, change):
        if formset.model is not Reimbursement:
            return super().save_formset(request, form, formset, change)
        # A line's member is its payment's (denormalised for the member's summaries).
        lines = formset.save(commit=False)
        for line in lines:
            line.member_id = form.instance.member_id
            line.save()
        for line in formset.deleted_objects:
            line.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        payment = form.instance
        payment.lines.exclude(member_id=payment.member_id).update(member_id=payment.member_id)
        payment_amounts_refresh([payment.pk])
        payment.refresh_from_db(fields=["amount"])


@admin.register(Reimbursement)
class ReimbursementAdmin(admin.ModelAdmin):
    """Every reimbursed act. Lines are added within their payment; corrected here or there,
    the payment's amount follows."""

    form = ReimbursementForm
    list_display = [
        "external_id",
        "care_date",
        "member_column",
        "beneficiary",
        "care_type",
        "act",
        "real_cost_column",
        "insurer_share_column",
        "payment_link",
    ]
    list_filter = ["care_type", "care_date"]
    search_fields = ["external_id", "member__member_number", "payment__number"]
    search_help_text = gettext_lazy(
        "Identifiant de ligne (ou son début), numéro d'adhérent ou numéro de paiement."
    )
    list_select_related = ["member", "beneficiary", "payment"]
    autocomplete_fields = ["payment"]
    show_full_result_count = False
    # Last loaded first, read along the primary key: sorting millions of lines by care date
    # for each page takes a second.
    ordering = ["-pk"]
    readonly_fields = ["member_column"]

    def get_fields(self, request, obj=None):
        return ["member_column", *ReimbursementForm.Meta.fields]

    def get_search_results(self, request, queryset, search_term):
        return _identifier_search(
            queryset,
            search_term,
            external_id__startswith=None,
            payment__in=lambda term: Payment.objects.filter(number=term).values("pk"),
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("adhérent"), ordering="member__last_name")
    def member_column(self, obj):
        return _member(obj.member) if obj.member_id else "—"

    @admin.display(description=gettext_lazy("frais réels"), ordering="real_cost")
    def real_cost_column(self, obj):
        return euros(obj.real_cost)

    @admin.display(description=gettext_lazy("part complémentaire"), ordering="insurer_share")
    def insurer_share_column(self, obj):
        return euros(obj.insurer_share)

    @admin.display(description=gettext_lazy("paiement"), ordering="payment__number")
    def payment_link(self, obj):
        url = reverse(f"{self.admin_site.name}:cover_payment_change", args=[obj.payment_id])
        return format_html(
            '<a href="{}">{} · {}</a>', url, obj.payment.number, _day(obj.payment.payment_date)
        )

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        previous = (
            Reimbursement.objects.filter(pk=obj.pk).values_list("payment_id", flat=True).first()
        )
        obj.member_id = obj.payment.member_id
        super().save_model(request, obj, form, change)
        payment_amounts_refresh({obj.payment_id, previous} - {None})

    @transaction.atomic
    def delete_model(self, request, obj):
        payment_id = obj.payment_id
        super().delete_model(request, obj)
        payment_amounts_refresh([payment_id])

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        payment_ids = set(queryset.values_list("payment_id", flat=True))
        super().delete_queryset(request, queryset)
        payment_amounts_refresh(payment_ids)

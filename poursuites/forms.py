from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ocp_portal.dates import today
from ocp_portal.formats import format_date
from ocp_portal.money import ZERO
from ocp_portal.money_fields import MoneyField
from ocp_portal.text import SingleLineFormMixin

from . import minimum_vital
from .numbers import parse_number

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]


class DossierNumberForm(SingleLineFormMixin, forms.Form):
    """A poursuite or ADB number and its key letter, typed as on the office's documents; once
    clean, `number` is the integer and `key_letter` the letter (typed apart or after the digits)."""

    number = forms.CharField(
        label=_("Numéro de poursuite ou d'acte de défaut de biens"),
        help_text=_("8 chiffres, par exemple 26001234."),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    key_letter = forms.CharField(
        label=_("Lettre clé"),
        help_text=_(
            "Obligatoire : la lettre qui suit le numéro sur les documents de l'office (ici ou après le numéro)."
        ),
        max_length=1,
        required=False,  # it may be typed after the number instead: `clean` requires one of the two
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "size": "2", "spellcheck": "false", "aria-required": "true"}
        ),
    )
    key_letter.shown_required = True  # the asterisk of {% form_field %} (form_rendering.field_html)

    def clean_number(self):
        parsed = parse_number(self.cleaned_data["number"])
        if parsed is None:
            raise forms.ValidationError(
                _("Le numéro compte 8 chiffres (espaces, points et tiret acceptés)."), code="format"
            )
        return parsed

    def clean_key_letter(self):
        letter = self.cleaned_data["key_letter"].strip().upper()
        if letter and not ("A" <= letter <= "Z"):
            raise forms.ValidationError(_("La lettre clé est une lettre de A à Z."), code="format")
        return letter

    def clean(self):
        cleaned = super().clean()
        parsed = cleaned.get("number")
        if parsed is None or "key_letter" not in cleaned:
            return cleaned
        number, typed_letter = parsed
        letter = cleaned["key_letter"] or typed_letter
        if not letter:
            self.add_error("key_letter", forms.ValidationError(_("Saisissez la lettre clé."), code="required"))
            return cleaned
        if typed_letter and cleaned["key_letter"] and typed_letter != cleaned["key_letter"]:
            self.add_error("key_letter", _("La lettre clé saisie ne correspond pas à celle ajoutée au numéro."))
            return cleaned
        cleaned["number"], cleaned["key_letter"] = number, letter
        return cleaned


def payment_date_range() -> tuple[date, date]:
    """The planned payment dates a lookup takes: today to LOOKUP_MAX_DAYS_AHEAD days ahead."""
    return today(), today() + timedelta(days=settings.LOOKUP_MAX_DAYS_AHEAD)


class BalanceLookupForm(DossierNumberForm):
    payment_date = forms.DateField(
        label=_("Date de paiement prévue"),
        help_text=_(
            "Le solde d'une poursuite est modifié chaque jour du fait des intérêts réclamés par "
            "le créancier : indiquez le jour où vous paierez."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": _("Saisissez une date valide, par exemple 31.12.2026.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, last = payment_date_range()
        field = self.fields["payment_date"]
        field.initial = first
        # The limit is said before it is met: in the help text, and as the date picker's bounds.
        field.help_text = format_lazy(
            "{} {}",
            field.help_text,
            _("Au plus tard le %(date)s (dans %(days)s jours).")
            % {"date": format_date(last), "days": settings.LOOKUP_MAX_DAYS_AHEAD},
        )
        field.widget.attrs.update(min=first.isoformat(), max=last.isoformat())

    def clean_payment_date(self):
        day = self.cleaned_data["payment_date"]
        first, last = payment_date_range()
        if day < first:
            raise forms.ValidationError(_("La date de paiement ne peut pas être dans le passé."), code="past")
        if day > last:
            raise forms.ValidationError(
                _("La date de paiement peut être au plus tard le %(date)s (%(days)s jours).")
                % {"date": format_date(last), "days": settings.LOOKUP_MAX_DAYS_AHEAD},
                code="too_far",
            )
        return day


MAX_CHILDREN = 20
MAX_MONTHLY_AMOUNT = Decimal("1000000")


def _children_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_CHILDREN,
        initial=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "3", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Saisissez un nombre entier d'enfants, par exemple 2."),
            "min_value": _("Le nombre d'enfants ne peut pas être négatif."),
            "max_value": _("Indiquez au plus %(limit_value)s enfants."),
        },
    )


def _monthly_amount(label, help_text, **kwargs):
    return MoneyField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=ZERO,
        max_value=MAX_MONTHLY_AMOUNT,
        max_digits=None,  # the bound says what is too high, in one message
        error_messages={"min_value": _("Le montant ne peut pas être négatif.")},
        **kwargs,
    )


SUPPLEMENT_LABELS = dict(minimum_vital.SUPPLEMENTS)


class MinimumVitalForm(forms.Form):
    """The debtor's household and monthly expenses, for an estimate of the minimum vital (posted, so
    that no address or log keeps the amounts). Empty amounts and numbers of children count as 0."""

    household = forms.ChoiceField(
        label=_("Votre ménage"),
        choices=minimum_vital.Household.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez la composition de votre ménage."),
            "invalid_choice": _("Choisissez l'une des compositions de ménage proposées."),
        },
    )
    children_under_10 = _children_field(_("Enfants à charge de moins de 10 ans"))
    children_10_or_over = _children_field(_("Enfants à charge de 10 ans et plus"))
    rent = _monthly_amount(
        SUPPLEMENT_LABELS["rent"],
        _("Loyer mensuel charges comprises, ou intérêts hypothécaires de votre logement."),
    )
    health_insurance = _monthly_amount(
        SUPPLEMENT_LABELS["health_insurance"],
        _("Primes mensuelles de l'assurance maladie obligatoire du ménage, subsides déduits."),
    )
    professional_costs = _monthly_amount(
        SUPPLEMENT_LABELS["professional_costs"],
        _("Par exemple les frais de transport jusqu'au lieu de travail ou les repas pris à l'extérieur."),
    )
    alimony = _monthly_amount(
        SUPPLEMENT_LABELS["alimony"],
        _("Pensions que vous versez chaque mois, par exemple pour un enfant ou un ex-conjoint."),
    )
    training_costs = _monthly_amount(
        SUPPLEMENT_LABELS["training_costs"],
        _("Frais de formation de vos enfants à charge, par mois."),
    )
    net_income = _monthly_amount(
        _("Revenu net mensuel"),
        _(
            "Facultatif, pour estimer la part saisissable : salaire net, rente ou indemnités reçus chaque "
            "mois. Pour un couple, l'office tient aussi compte du revenu du conjoint ou du partenaire."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        for name in ("children_under_10", "children_10_or_over"):
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = 0
        for name in SUPPLEMENT_LABELS:
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = ZERO
        if {"household", "children_under_10", "children_10_or_over"} <= cleaned.keys():
            problem = minimum_vital.household_contradiction(
                cleaned["household"], cleaned["children_under_10"], cleaned["children_10_or_over"]
            )
            if problem:
                self.add_error("household", forms.ValidationError(problem, code="contradiction"))
        return cleaned

    def situation(self) -> minimum_vital.Situation:
        return minimum_vital.Situation(**self.cleaned_data)

"""What the guide « Comprendre la procédure » holds as data: the sections of its pages, the glossary,
the deadlines, the legal texts and the forms.

The wording follows the office's own page (seed 004). The figures come from where the portal defines
them (constants, fee table), so that the guide and the procedure never disagree.
"""

import unicodedata
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..constants import (
    ADB_PRESCRIPTION_YEARS,
    EXTRACT_YEARS,
    NON_DISCLOSURE_CREDITOR_DAYS,
    NON_DISCLOSURE_FEE,
    NON_DISCLOSURE_WAIT_MONTHS,
    OPPOSITION_DAYS,
    PAYMENT_DAYS,
)
from ..fees import COMMANDEMENT_FEE_ABOVE, COMMANDEMENT_FEES, NOTIFICATION_ATTEMPT_FEE
from ..requisition.geneva import FEDERAL_FORMS_URL

# After a first ADB the creditor may continue without a new commandement de payer (art. 149 al. 3 LP).
ADB_CONTINUATION_MONTHS = 6

GUIDE, DEBTOR, CREDITOR = "poursuites:guide", "poursuites:guide_debiteur", "poursuites:guide_creancier"
GLOSSARY, LEGAL_BASES = "poursuites:glossaire", "poursuites:bases_legales"
PAGE_TITLES = {
    GUIDE: _("Comprendre la procédure"),
    DEBTOR: _("Vous êtes poursuivi"),
    CREDITOR: _("Vous êtes poursuivant"),
    GLOSSARY: _("Glossaire"),
    LEGAL_BASES: _("Bases légales et formulaires"),
}


@dataclass(frozen=True)
class Section:
    """A part of a page others link to: a heading's anchor on a guide page, or an online service."""

    url_name: str
    anchor: str
    title: str

    @property
    def url(self) -> str:
        return reverse(self.url_name) + (f"#{self.anchor}" if self.anchor else "")

    @property
    def label(self) -> str:
        """« Vous êtes poursuivi : Faire opposition… », or the service's own name."""
        page = PAGE_TITLES.get(self.url_name)
        return f"{page} : {self.title}" if page and self.anchor else str(self.title)


def _sections(url_name, *parts) -> tuple[Section, ...]:
    return tuple(Section(url_name, anchor, title) for anchor, title in parts)


DEBTOR_SECTIONS = _sections(
    DEBTOR,
    ("commandement-de-payer", _("Le commandement de payer")),
    ("paiement", _("Payer la poursuite")),
    ("opposition", _("Faire opposition au commandement de payer")),
    ("non-divulgation", _("Une poursuite injustifiée sur votre extrait : la non-divulgation")),
    ("radiation", _("Radiation et annulation de la poursuite")),
    ("avis-de-saisie", _("Réception d'un avis de saisie")),
    ("minimum-vital", _("Minimum vital ou d'existence")),
    ("acte-de-defaut-de-biens", _("L'acte de défaut de biens")),
    ("rachat", _("Racheter un acte de défaut de biens")),
    ("aide", _("Difficultés financières : où trouver de l'aide")),
)
CREDITOR_SECTIONS = _sections(
    CREDITOR,
    ("introduction", _("Introduction d'une poursuite")),
    ("mainlevee", _("Annulation de l'opposition : la mainlevée")),
    ("continuation", _("Continuation de la poursuite")),
    ("radiation", _("Radiation de la poursuite : le contrordre")),
    ("acte-de-defaut-de-biens", _("Réception d'un acte de défaut de biens")),
)
GUIDE_SECTIONS = _sections(
    GUIDE,
    ("vous-etes", _("Vous êtes poursuivi ou poursuivant")),
    ("delais", _("Les délais à retenir")),
    ("schema", _("Schéma de la poursuite")),
    ("office", _("Le rôle de l'office")),
    ("references", _("Glossaire, bases légales et formulaires")),
)
LEGAL_BASES_SECTIONS = _sections(
    LEGAL_BASES,
    ("textes", _("Principaux textes légaux")),
    ("formulaires", _("Formulaires")),
    ("prestations", _("Prestations en ligne")),
)
SERVICES = (
    Section("poursuites:balance_lookup", "", _("Consulter le solde d'une poursuite ou d'un acte de défaut de biens")),
    Section("extraits:order_start", "", _("Demander un extrait du registre des poursuites")),
    Section("extraits:verify", "", _("Vérifier un extrait du registre des poursuites")),
    Section("poursuites:requisition:start", "", _("Remplir une réquisition de poursuite")),
    Section("poursuites:non_divulgation", "", _("Demander la non-divulgation d'une poursuite")),
)

# Every part a glossary entry may send its reader to, by a short key: "debiteur:opposition",
# "service:poursuites:balance_lookup".
_PAGE_KEYS = {GUIDE: "guide", DEBTOR: "debiteur", CREDITOR: "creancier", LEGAL_BASES: "bases"}
SECTIONS = {
    f"{_PAGE_KEYS[section.url_name]}:{section.anchor}": section
    for section in DEBTOR_SECTIONS + CREDITOR_SECTIONS + GUIDE_SECTIONS + LEGAL_BASES_SECTIONS
} | {f"service:{service.url_name}": service for service in SERVICES}


@dataclass(frozen=True)
class Term:
    slug: str
    name: str
    definition: str
    articles: str = ""
    see: tuple[str, ...] = ()

    @property
    def links(self) -> list[Section]:
        return [SECTIONS[key] for key in self.see]

    @property
    def sort_key(self) -> str:
        return _folded(str(self.name))

    @property
    def letter(self) -> str:
        return self.sort_key[0].upper()


def _folded(text: str) -> str:
    """« Échéance » sorts with the E: accents dropped, case ignored."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


TERMS = (
    Term(
        "acte-de-defaut-de-biens",
        _("Acte de défaut de biens (ADB)"),
        format_lazy(
            _(
                "Document que l'office délivre au créancier qui n'a pas pu être payé entièrement au terme de la "
                "poursuite, parce que les biens du débiteur ne suffisaient pas. Il indique le montant resté impayé "
                "et vaut reconnaissance de dette. Dès sa délivrance, les intérêts cessent de courir ; la créance "
                "se prescrit par {years} ans."
            ),
            years=ADB_PRESCRIPTION_YEARS,
        ),
        _("art. 115, 149 et 149a LP"),
        ("debiteur:acte-de-defaut-de-biens", "creancier:acte-de-defaut-de-biens", "service:poursuites:balance_lookup"),
    ),
    Term(
        "action-en-reconnaissance-de-dette",
        _("Action en reconnaissance de dette"),
        _(
            "Procès que le créancier intente devant le tribunal pour faire reconnaître sa créance et lever "
            "l'opposition, lorsqu'il n'a pas de titre de mainlevée mais d'autres moyens de preuve. Procédure "
            "complexe : le recours à un professionnel est conseillé."
        ),
        _("art. 79 LP"),
        ("creancier:mainlevee",),
    ),
    Term(
        "action-revocatoire",
        _("Action révocatoire"),
        _(
            "Action en justice par laquelle le créancier qui détient un acte de défaut de biens fait annuler "
            "certains actes du débiteur qui ont diminué ses biens au détriment des créanciers, par exemple une "
            "donation."
        ),
        _("art. 285 et suivants LP"),
        ("creancier:acte-de-defaut-de-biens",),
    ),
    Term(
        "annulation",
        _("Annulation de la poursuite"),
        _(
            "Décision du tribunal qui met fin à une poursuite, par exemple lorsque le débiteur prouve que la dette "
            "n'existe pas ou plus, ou qu'un sursis lui a été accordé. Le débiteur la demande par une action en "
            "justice. Une poursuite annulée n'est plus communiquée à des tiers."
        ),
        _("art. 85a et 8a al. 3 let. a LP"),
        ("debiteur:radiation",),
    ),
    Term(
        "avis-de-saisie",
        _("Avis de saisie"),
        _(
            "Lettre de l'office qui annonce au débiteur le jour et l'endroit de la saisie, au plus tard la veille. "
            "Le débiteur doit assister à la saisie ou s'y faire représenter, et indiquer tous ses biens."
        ),
        _("art. 90 et 91 LP"),
        ("debiteur:avis-de-saisie",),
    ),
    Term(
        "commandement-de-payer",
        _("Commandement de payer"),
        format_lazy(
            _(
                "Premier acte de la poursuite : l'office l'établit selon les indications du créancier et le notifie "
                "au débiteur. Celui-ci a {payment} jours pour payer et {opposition} jours pour faire opposition, dès "
                "la notification. L'office ne contrôle pas si la créance est justifiée."
            ),
            payment=PAYMENT_DAYS,
            opposition=OPPOSITION_DAYS,
        ),
        _("art. 69 LP"),
        ("debiteur:commandement-de-payer", "guide:delais"),
    ),
    Term(
        "commination-de-faillite",
        _("Commination de faillite"),
        _(
            "Avertissement que l'office notifie, au lieu d'une saisie, au débiteur soumis à la poursuite par voie "
            "de faillite : s'il ne paie pas, le créancier pourra demander sa faillite au tribunal."
        ),
        _("art. 159 LP"),
        ("creancier:continuation",),
    ),
    Term(
        "continuation",
        _("Continuation de la poursuite"),
        format_lazy(
            _(
                "Suite de la poursuite, que le créancier demande par une réquisition de continuer la poursuite "
                "lorsque le débiteur n'a pas payé et que l'opposition est retirée ou levée. Possible dès que le délai "
                "de {payment} jours est écoulé, et au plus tard une année après la notification du commandement de "
                "payer. Elle mène à la saisie ou à la commination de faillite."
            ),
            payment=PAYMENT_DAYS,
        ),
        _("art. 88 LP"),
        ("creancier:continuation", "bases:formulaires"),
    ),
    Term(
        "contrordre",
        _("Contrordre"),
        _(
            "Déclaration écrite par laquelle le créancier, ou son représentant, retire sa poursuite, par exemple "
            "après avoir été payé ou avoir conclu un arrangement. Lui seul peut la faire. Une poursuite retirée "
            "n'est plus communiquée à des tiers et n'apparaît plus sur l'extrait."
        ),
        _("art. 8a al. 3 let. c LP"),
        ("creancier:radiation", "debiteur:radiation", "bases:formulaires"),
    ),
    Term(
        "creancier",
        _("Créancier (poursuivant)"),
        _("Personne ou entreprise qui réclame le paiement d'une somme d'argent et engage la poursuite."),
        "",
        ("creancier:introduction",),
    ),
    Term(
        "debiteur",
        _("Débiteur (poursuivi)"),
        _("Personne ou entreprise à qui le paiement est réclamé et contre qui la poursuite est dirigée."),
        "",
        ("debiteur:commandement-de-payer",),
    ),
    Term(
        "delai",
        _("Délai"),
        _(
            "Temps que la loi donne pour agir : payer, faire opposition, continuer la poursuite. Un délai court dès "
            "le lendemain de la notification ; s'il finit un samedi, un dimanche ou un jour férié, il est reporté "
            "au premier jour ouvrable suivant ; s'il finit pendant les féries (sept jours avant et après Pâques "
            "et Noël, et du 15 au 31 juillet), il est prolongé jusqu'au troisième jour ouvrable après elles. Pour "
            "un envoi postal, le timbre de la poste fait foi. L'office ne peut pas accorder d'autres délais que "
            "ceux de la loi."
        ),
        _("art. 31, 56 et 63 LP"),
        ("guide:delais",),
    ),
    Term(
        "droit-de-retention",
        _("Droit de rétention (prise d'inventaire)"),
        _(
            "Droit du bailleur de locaux commerciaux de retenir les meubles qui s'y trouvent pour garantir le "
            "loyer. À sa demande, l'office en dresse l'inventaire pour sauvegarder ce droit."
        ),
        _("art. 283 LP, art. 268 CO"),
        ("bases:formulaires",),
    ),
    Term(
        "extrait",
        _("Extrait du registre des poursuites"),
        format_lazy(
            _(
                "Relevé, souvent appelé « attestation de non-poursuite », des poursuites et des actes de défaut de "
                "biens enregistrés au nom d'une personne : les poursuites ouvertes et celles soldées depuis moins "
                "de {years} ans, avec leur statut en toutes lettres."
            ),
            years=EXTRACT_YEARS,
        ),
        _("art. 8a LP"),
        ("service:extraits:order_start", "service:extraits:verify"),
    ),
    Term(
        "for",
        _("For de la poursuite"),
        _(
            "Lieu où la poursuite doit être engagée : le domicile du débiteur, ou le siège d'une société. L'office "
            "cantonal des poursuites de Genève poursuit les débiteurs domiciliés ou établis dans le canton."
        ),
        _("art. 46 LP"),
        ("creancier:introduction",),
    ),
    Term(
        "frais",
        _("Frais de poursuite"),
        _(
            "Émoluments de l'office et frais de port. Le créancier en fait l'avance, mais ils sont à la charge du "
            "débiteur et s'ajoutent au montant de la poursuite."
        ),
        _("art. 68 LP, OELP"),
        ("creancier:introduction",),
    ),
    Term(
        "interets",
        _("Intérêts"),
        _(
            "Le créancier peut réclamer des intérêts sur sa créance, dès la date qu'il indique (le taux légal est "
            "de 5 % l'an). C'est pourquoi le solde d'une poursuite change chaque jour. Ils cessent de courir dès la "
            "délivrance d'un acte de défaut de biens."
        ),
        _("art. 104 CO, art. 149 al. 4 LP"),
        ("debiteur:paiement", "service:poursuites:balance_lookup"),
    ),
    Term(
        "lettre-cle",
        _("Lettre clé"),
        _(
            "Lettre qui suit le numéro à 8 chiffres d'une poursuite ou d'un acte de défaut de biens (par exemple "
            "12345678 Z) sur tous les documents de l'office. Avec le numéro, elle permet de consulter le solde en "
            "ligne."
        ),
        "",
        ("service:poursuites:balance_lookup",),
    ),
    Term(
        "mainlevee",
        _("Mainlevée de l'opposition"),
        _(
            "Levée, par le juge, de l'opposition du débiteur, qui permet au créancier de continuer la poursuite : "
            "mainlevée définitive s'il a un jugement ou une décision exécutoire, mainlevée provisoire s'il a une "
            "reconnaissance de dette. Sans l'un ni l'autre, il doit intenter une action en reconnaissance de dette."
        ),
        _("art. 79 à 84 LP"),
        ("creancier:mainlevee", "debiteur:opposition"),
    ),
    Term(
        "mainlevee-definitive",
        _("Mainlevée définitive"),
        _(
            "Décision du juge qui lève l'opposition lorsque le créancier a un jugement exécutoire, une décision "
            "d'une autorité administrative suisse, un titre authentique exécutoire, ou une transaction ou "
            "reconnaissance passée en justice."
        ),
        _("art. 80 LP"),
        ("creancier:mainlevee",),
    ),
    Term(
        "mainlevee-provisoire",
        _("Mainlevée provisoire"),
        _(
            "Décision du juge qui lève l'opposition lorsque la poursuite se fonde sur une reconnaissance de dette "
            "signée par le débiteur. Le débiteur peut encore, dans les 20 jours, contester la dette par une action "
            "en libération de dette."
        ),
        _("art. 82 et 83 LP"),
        ("creancier:mainlevee",),
    ),
    Term(
        "minimum-vital",
        _("Minimum vital (minimum d'existence)"),
        _(
            "Part des revenus que l'office laisse au débiteur et à sa famille lors d'une saisie, parce qu'elle leur "
            "est indispensable. Il se calcule selon les normes d'insaisissabilité de la Chambre de surveillance : "
            "un montant de base selon le ménage, plus le loyer, l'assurance maladie et d'autres frais prouvés. Les "
            "impôts n'en font pas partie."
        ),
        _("art. 93 LP"),
        ("debiteur:minimum-vital",),
    ),
    Term(
        "mode-de-poursuite",
        _("Mode de poursuite : saisie, faillite ou réalisation de gage"),
        _(
            "La poursuite continue par voie de faillite contre les débiteurs inscrits au registre du commerce, en "
            "règle générale les sociétés, et par voie de saisie contre les autres. La poursuite en réalisation de "
            "gage porte sur le bien donné en garantie de la dette."
        ),
        _("art. 38 à 43 LP"),
        ("creancier:continuation",),
    ),
    Term(
        "non-divulgation",
        _("Non-divulgation"),
        format_lazy(
            _(
                "À la demande du débiteur, une poursuite frappée d'opposition totale n'est plus portée à la "
                "connaissance de tiers, si le créancier ne prouve pas, dans les {days} jours, qu'il a demandé la "
                "mainlevée, intenté une action ou été entièrement payé. Demande possible au plus tôt {months} mois "
                "après la notification du commandement de payer."
            ),
            days=NON_DISCLOSURE_CREDITOR_DAYS,
            months=NON_DISCLOSURE_WAIT_MONTHS,
        ),
        _("art. 8a al. 3 let. d LP, art. 12b OELP"),
        ("debiteur:non-divulgation", "service:poursuites:non_divulgation"),
    ),
    Term(
        "notification",
        _("Notification"),
        _(
            "Remise officielle d'un acte de poursuite, par exemple le commandement de payer, au débiteur, par un "
            "agent notificateur (employé de l'office ou de la poste). La date de la notification fait courir les "
            "délais."
        ),
        _("art. 64 à 66 et 72 LP"),
        ("debiteur:commandement-de-payer",),
    ),
    Term(
        "opposition",
        _("Opposition"),
        format_lazy(
            _(
                "Déclaration par laquelle le débiteur conteste la poursuite, dans les {days} jours dès la "
                "notification du commandement de payer, sans avoir à la motiver. Elle suspend la poursuite jusqu'à "
                "ce que le créancier obtienne la mainlevée."
            ),
            days=OPPOSITION_DAYS,
        ),
        _("art. 74 et 75 LP"),
        ("debiteur:opposition", "creancier:mainlevee"),
    ),
    Term(
        "prescription",
        _("Prescription"),
        format_lazy(
            _(
                "Perte du droit de réclamer une créance après un certain temps. La créance constatée par un acte de "
                "défaut de biens se prescrit par {years} ans dès sa délivrance."
            ),
            years=ADB_PRESCRIPTION_YEARS,
        ),
        _("art. 149a LP"),
        ("debiteur:acte-de-defaut-de-biens",),
    ),
    Term(
        "rachat",
        _("Rachat d'un acte de défaut de biens"),
        _(
            "Accord par lequel le débiteur paie au créancier tout ou partie de la créance d'un acte de défaut de "
            "biens, contre la radiation de l'acte au registre. Le créancier peut refuser l'offre."
        ),
        "",
        ("debiteur:rachat",),
    ),
    Term(
        "radiation",
        _("Radiation"),
        _(
            "Retrait d'une poursuite ou d'un acte de défaut de biens, qui n'est dès lors plus communiqué à des "
            "tiers : à la demande du créancier (contrordre), ou après le rachat d'un acte de défaut de biens."
        ),
        "",
        ("debiteur:radiation", "creancier:radiation"),
    ),
    Term(
        "realisation",
        _("Réalisation (vente)"),
        _(
            "Vente, par l'office, des biens saisis ou gagés, sur réquisition de vente du créancier. Le produit est "
            "distribué aux créanciers ; ce qui reste impayé fait l'objet d'un acte de défaut de biens."
        ),
        _("art. 116 et suivants LP"),
        ("bases:formulaires",),
    ),
    Term(
        "reconnaissance-de-dette",
        _("Reconnaissance de dette"),
        _(
            "Écrit signé par lequel le débiteur déclare devoir au créancier une somme d'argent définie ou aisément "
            "déterminable, sans réserve ni condition. Elle permet au créancier de demander la mainlevée provisoire."
        ),
        _("art. 82 LP"),
        ("creancier:mainlevee",),
    ),
    Term(
        "requisition-de-poursuite",
        _("Réquisition de poursuite"),
        _(
            "Demande écrite et signée du créancier, qui prie l'office de notifier un commandement de payer au "
            "débiteur. Elle indique le débiteur, le créancier, le montant et le titre de la créance."
        ),
        _("art. 67 LP"),
        ("creancier:introduction", "service:poursuites:requisition:start"),
    ),
    Term(
        "retour-a-meilleure-fortune",
        _("Retour à meilleure fortune"),
        _(
            "Après une faillite, le débiteur ne peut être poursuivi pour les créances constatées dans un acte de "
            "défaut de biens que s'il est revenu à meilleure fortune. S'il le conteste, il doit le dire dans son "
            "opposition."
        ),
        _("art. 75 al. 2 et 265 LP"),
        ("debiteur:opposition",),
    ),
    Term(
        "saisie",
        _("Saisie"),
        _(
            "Mesure par laquelle l'office bloque des biens ou une partie des revenus du débiteur pour payer le "
            "créancier : le débiteur ne peut plus en disposer librement. Les objets indispensables et le minimum "
            "vital ne sont pas saisis."
        ),
        _("art. 89 à 115 LP"),
        ("debiteur:avis-de-saisie", "creancier:continuation"),
    ),
    Term(
        "sequestre",
        _("Séquestre"),
        _(
            "Blocage de biens du débiteur ordonné par le juge pour garantir une créance, par exemple sur la base "
            "d'un acte de défaut de biens."
        ),
        _("art. 271 LP"),
        ("creancier:acte-de-defaut-de-biens",),
    ),
    Term(
        "solde",
        _("Solde d'une poursuite"),
        _(
            "Montant à payer pour éteindre la poursuite à une date donnée : la créance, les intérêts jusqu'à cette "
            "date et les frais, moins ce qui a déjà été payé."
        ),
        "",
        ("debiteur:paiement", "service:poursuites:balance_lookup"),
    ),
)
GLOSSARY_SLUGS = frozenset(term.slug for term in TERMS)


def glossary_by_letter() -> list[tuple[str, list[Term]]]:
    """The terms in alphabetical order (accents ignored), grouped under their first letter."""
    groups: dict[str, list[Term]] = {}
    for term in sorted(TERMS, key=lambda term: term.sort_key):
        groups.setdefault(term.letter, []).append(term)
    return list(groups.items())


@dataclass(frozen=True)
class Deadline:
    who: str
    what: str
    when: str
    articles: str
    see: str


DEADLINES = (
    Deadline(
        _("Débiteur"),
        _("Payer la poursuite"),
        format_lazy(_("{days} jours dès la notification du commandement de payer"), days=PAYMENT_DAYS),
        _("art. 69 LP"),
        "debiteur:paiement",
    ),
    Deadline(
        _("Débiteur"),
        _("Faire opposition"),
        format_lazy(_("{days} jours dès la notification du commandement de payer"), days=OPPOSITION_DAYS),
        _("art. 74 LP"),
        "debiteur:opposition",
    ),
    Deadline(
        _("Créancier"),
        _("Requérir la continuation de la poursuite"),
        format_lazy(
            _(
                "une fois écoulé le délai de {days} jours, et au plus tard une année après la notification du "
                "commandement de payer (le temps de la procédure de mainlevée n'est pas compté)"
            ),
            days=PAYMENT_DAYS,
        ),
        _("art. 88 LP"),
        "creancier:continuation",
    ),
    Deadline(
        _("Créancier"),
        _("Continuer la poursuite après un premier acte de défaut de biens, sans nouveau commandement de payer"),
        format_lazy(_("{months} mois dès la délivrance de l'acte de défaut de biens"), months=ADB_CONTINUATION_MONTHS),
        _("art. 149 al. 3 LP"),
        "creancier:acte-de-defaut-de-biens",
    ),
    Deadline(
        _("Débiteur"),
        _("Demander la non-divulgation d'une poursuite"),
        format_lazy(
            _("au plus tôt {months} mois après la notification du commandement de payer"),
            months=NON_DISCLOSURE_WAIT_MONTHS,
        ),
        _("art. 8a al. 3 let. d LP"),
        "debiteur:non-divulgation",
    ),
    Deadline(
        _("Créancier"),
        _("Répondre à l'interpellation de l'office sur une demande de non-divulgation"),
        format_lazy(_("{days} jours dès sa réception"), days=NON_DISCLOSURE_CREDITOR_DAYS),
        _("art. 8a al. 3 let. d LP"),
        "debiteur:non-divulgation",
    ),
    Deadline(
        _("Registre"),
        _("Une poursuite payée reste sur l'extrait, avec la mention de son paiement"),
        format_lazy(_("{years} ans"), years=EXTRACT_YEARS),
        _("art. 8a al. 4 LP"),
        "debiteur:paiement",
    ),
    Deadline(
        _("Registre"),
        _("La créance constatée par un acte de défaut de biens se prescrit"),
        format_lazy(_("{years} ans dès la délivrance de l'acte"), years=ADB_PRESCRIPTION_YEARS),
        _("art. 149a LP"),
        "debiteur:acte-de-defaut-de-biens",
    ),
)


@dataclass(frozen=True)
class LegalText:
    abbreviation: str
    name: str
    reference: str
    about: str


LEGAL_TEXTS = (
    LegalText(
        _("LP"),
        _("Loi fédérale sur la poursuite pour dettes et la faillite, du 11 avril 1889"),
        _("RS 281.1"),
        _(
            "La loi de la poursuite : réquisition, commandement de payer, opposition, mainlevée, saisie, faillite, "
            "actes de défaut de biens, délais, extrait du registre."
        ),
    ),
    LegalText(
        _("OELP"),
        _(
            "Ordonnance sur les émoluments perçus en application de la loi fédérale sur la poursuite pour dettes "
            "et la faillite"
        ),
        _("RS 281.35"),
        _(
            "Les émoluments de l'office : commandement de payer, notification, saisie, extrait du registre, "
            "demande de non-divulgation."
        ),
    ),
    LegalText(
        _("Oform"),
        _(
            "Ordonnance concernant les formulaires et registres à employer dans la poursuite pour dettes et la "
            "faillite et la comptabilité"
        ),
        _("RS 281.31"),
        _("Les formulaires officiels de la poursuite, dont la réquisition de poursuite."),
    ),
    LegalText(
        _("LaLP"),
        _("Loi d'application de la loi fédérale sur la poursuite pour dettes et la faillite, du 29 janvier 2010"),
        _("rsGE E 3 60"),
        _(
            "L'organisation genevoise de la poursuite : l'office cantonal des poursuites, son autorité de "
            "surveillance et les tribunaux compétents."
        ),
    ),
    LegalText(
        "",
        _("Règlement sur le recouvrement des créances de l'Etat, du 20 août 2025"),
        _("rsGE D 1 05.12"),
        _(
            "Comment l'Etat de Genève recouvre ses propres créances : facture, au plus 2 rappels, mise en demeure "
            "(frais de CHF 40.00), poursuite, puis gestion des actes de défaut de biens."
        ),
    ),
)


@dataclass(frozen=True)
class Form:
    slug: str
    name: str
    who: str
    purpose: str
    online: Section | None = None
    federal: bool = False  # an official form of the Office fédéral de la justice


FORMS = (
    Form(
        "requisition-de-poursuite",
        _("Réquisition de poursuite"),
        _("Le créancier ou son représentant."),
        _(
            "Demander à l'office de notifier un commandement de payer au débiteur : c'est le début de toute "
            "poursuite. Daté, signé et envoyé à l'office."
        ),
        online=Section("poursuites:requisition:start", "", _("Remplir la réquisition en ligne")),
        federal=True,
    ),
    Form(
        "requisition-de-continuer",
        _("Réquisition de continuer la poursuite"),
        _("Le créancier."),
        format_lazy(
            _(
                "Demander la saisie ou la commination de faillite lorsque le débiteur n'a pas payé et que "
                "l'opposition est retirée ou levée ; au plus tard une année après la notification du commandement de "
                "payer. Après un premier acte de défaut de biens : dans les {months} mois, avec l'original de l'acte."
            ),
            months=ADB_CONTINUATION_MONTHS,
        ),
        federal=True,
    ),
    Form(
        "requisition-de-vente",
        _("Réquisition de vente"),
        _("Le créancier saisissant."),
        _("Demander la vente des biens saisis, dans les délais fixés par la loi (art. 116 LP)."),
        federal=True,
    ),
    Form(
        "contrordre",
        _("Contrordre"),
        _("Le créancier ou son représentant."),
        _(
            "Retirer la poursuite après un paiement direct, un arrangement ou une erreur : elle n'est plus "
            "communiquée à des tiers. Le débiteur qui a payé peut demander au créancier de l'envoyer."
        ),
    ),
    Form(
        "prise-d-inventaire",
        _("Réquisition de prise d'inventaire pour sauvegarde du droit de rétention"),
        _("Le bailleur de locaux commerciaux."),
        _(
            "Faire inventorier par l'office les meubles qui garnissent les locaux loués, pour garantir le loyer "
            "(art. 283 LP)."
        ),
    ),
    Form(
        "procuration-extrait",
        _("Procuration pour retirer un extrait du registre des poursuites"),
        _("La personne concernée par l'extrait, pour le tiers qu'elle charge de le demander."),
        _(
            "Permettre à un tiers de demander et de retirer votre extrait, avec une copie de votre pièce d'identité "
            "et de la sienne."
        ),
        online=Section("extraits:order_start", "", _("Pour votre propre extrait : le demander en ligne")),
    ),
    Form(
        "procuration-acte",
        _("Procuration pour retirer un acte de poursuite"),
        _("Le débiteur, pour le tiers qu'il charge de retirer l'acte."),
        _(
            "Permettre à un tiers de retirer à l'office un acte de poursuite qui vous est destiné, par exemple un "
            "commandement de payer."
        ),
    ),
)


def commandement_fee_rows() -> list[tuple]:
    """(from, up to, fee) for the table of art. 16 OELP; `None` where the range is open."""
    rows, low = [], None
    for upper, fee in COMMANDEMENT_FEES:
        rows.append((low, upper, fee))
        low = upper
    rows.append((low, None, COMMANDEMENT_FEE_ABOVE))
    return rows


def facts() -> dict:
    """The figures the pages quote."""
    return {
        "payment_days": PAYMENT_DAYS,
        "opposition_days": OPPOSITION_DAYS,
        "adb_prescription_years": ADB_PRESCRIPTION_YEARS,
        "adb_continuation_months": ADB_CONTINUATION_MONTHS,
        "extract_years": EXTRACT_YEARS,
        "non_disclosure_fee": NON_DISCLOSURE_FEE,
        "non_disclosure_wait_months": NON_DISCLOSURE_WAIT_MONTHS,
        "non_disclosure_creditor_days": NON_DISCLOSURE_CREDITOR_DAYS,
        "notification_attempt_fee": NOTIFICATION_ATTEMPT_FEE,
        "federal_forms_url": FEDERAL_FORMS_URL,
    }

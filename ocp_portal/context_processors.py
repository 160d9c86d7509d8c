from django.conf import settings
from stdnum import iban


def office(request):
    return {"office": settings.OFFICE, "qr_iban": iban.format(settings.OFFICE_QR_IBAN)}

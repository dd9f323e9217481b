"""The three national databases, each with its national and its sandbox connector."""

from __future__ import annotations

from django.conf import settings

from .base import (
    BUSINESS_REGISTRY,
    POPULATION,
    SOCIAL_INSURANCE,
    NationalDatabase,
    national_databases,
    sandbox_key,
)


@national_databases.register
class Population(NationalDatabase):
    """Cơ sở dữ liệu quốc gia về dân cư (Ministry of Public Security)."""

    identifier = POPULATION
    verbose_name = "National population database (through the data-sharing platform)"
    database = POPULATION
    provider = "VN/GOV/000.00.00.G25/dancu"
    services = {
        "CCCD": "congdan",
        "GIAY_XN_CU_TRU": "cutru",
        "GIAY_XN_TINH_TRANG_HON_NHAN": "honnhan",
    }


@national_databases.register
class BusinessRegistry(NationalDatabase):
    """Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp (Ministry of Finance)."""

    identifier = BUSINESS_REGISTRY
    verbose_name = "National business registration database"
    database = BUSINESS_REGISTRY
    provider = "VN/GOV/000.00.00.G12/dkkd"
    services = {"GCN_DKDN": "doanhnghiep"}


@national_databases.register
class SocialInsurance(NationalDatabase):
    """Cơ sở dữ liệu quốc gia về bảo hiểm (Vietnam Social Security)."""

    identifier = SOCIAL_INSURANCE
    verbose_name = "National social insurance database"
    database = SOCIAL_INSURANCE
    provider = "VN/GOV/000.00.00.G19/bhxh"
    services = {"SO_BHXH": "sobhxh", "THE_BHYT": "thebhyt"}


class SandboxMixin(NationalDatabase):
    """Asks the platform's own stand-in (``/sandbox/csdl-quoc-gia/``) with a derived key."""

    is_sandbox = True
    sandbox_setting = "MOTCUA_SANDBOX_ENABLED"

    def base_url(self) -> str:
        configured = str(settings.MOTCUA_NATIONAL_SANDBOX_URL).rstrip("/")
        return configured or f"{settings.MOTCUA_PUBLIC_URL}/sandbox/csdl-quoc-gia"

    def client(self) -> str:
        return str(settings.MOTCUA_NATIONAL_DATA_CLIENT) or "VN/GOV/SANDBOX/motcua"

    def key(self) -> bytes:
        return sandbox_key()

    def check_config(self) -> list[str]:
        return []


@national_databases.register
class PopulationSandbox(SandboxMixin, Population):
    """SANDBOX stand-in of the population database: demo records only."""

    identifier = "population-sandbox"
    verbose_name = "SANDBOX population database (demo records, not real data)"


@national_databases.register
class BusinessRegistrySandbox(SandboxMixin, BusinessRegistry):
    """SANDBOX stand-in of the business registration database: demo records only."""

    identifier = "business-registry-sandbox"
    verbose_name = "SANDBOX business registration database (demo records, not real data)"


@national_databases.register
class SocialInsuranceSandbox(SandboxMixin, SocialInsurance):
    """SANDBOX stand-in of the social insurance database: demo records only."""

    identifier = "social-insurance-sandbox"
    verbose_name = "SANDBOX social insurance database (demo records, not real data)"

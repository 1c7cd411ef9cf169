from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from webauthn.helpers.structs import RegistrationCredential
from webauthn.registration.verify_registration_response import VerifiedRegistration

class WebAuthnHelper:
    request: HttpRequest
    def __init__(self, request: HttpRequest) -> None: ...
    def create_credential(
        self,
        user: AbstractBaseUser,
        response: VerifiedRegistration,
        parsed_credential: RegistrationCredential,
        original_data: dict[str, Any],
    ) -> Any: ...
    def register_complete(
        self, user: AbstractBaseUser, state: dict[str, Any], data: dict[str, Any]
    ) -> Any: ...
    def authenticate_complete(
        self, user: AbstractBaseUser | None, state: dict[str, Any], data: dict[str, Any]
    ) -> Any: ...

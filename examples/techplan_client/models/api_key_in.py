from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.role import Role
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiKeyIn")


@_attrs_define
class ApiKeyIn:
    """
    Attributes:
        name (str): 1-200 characters, no control characters
        role (Role):
        client_ids (list[UUID] | None | Unset):
    """

    name: str
    role: Role
    client_ids: list[UUID] | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        role = self.role.value

        client_ids: list[str] | Unset | None
        if isinstance(self.client_ids, Unset):
            client_ids = UNSET
        elif isinstance(self.client_ids, list):
            client_ids = []
            for client_ids_type_0_item_data in self.client_ids:
                client_ids_type_0_item = str(client_ids_type_0_item_data)
                client_ids.append(client_ids_type_0_item)

        else:
            client_ids = self.client_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "role": role,
            }
        )
        if client_ids is not UNSET:
            field_dict["client_ids"] = client_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        role = Role(d.pop("role"))

        def _parse_client_ids(data: object) -> list[UUID] | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                client_ids_type_0 = []
                _client_ids_type_0 = data
                for client_ids_type_0_item_data in _client_ids_type_0:
                    client_ids_type_0_item = UUID(client_ids_type_0_item_data)

                    client_ids_type_0.append(client_ids_type_0_item)

                return client_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        client_ids = _parse_client_ids(d.pop("client_ids", UNSET))

        api_key_in = cls(
            name=name,
            role=role,
            client_ids=client_ids,
        )

        return api_key_in

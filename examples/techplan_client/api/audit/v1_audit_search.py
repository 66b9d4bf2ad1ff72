from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.v1_audit_search_aggregate_type_type_1 import V1AuditSearchAggregateTypeType1
from ...models.v1_audit_search_aggregate_type_type_2_type_1 import (
    V1AuditSearchAggregateTypeType2Type1,
)
from ...models.v1_audit_search_aggregate_type_type_3_type_1 import (
    V1AuditSearchAggregateTypeType3Type1,
)
from ...models.v1_audit_search_response_200 import V1AuditSearchResponse200
from ...models.v1_audit_search_type_type_0 import V1AuditSearchTypeType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    client_id: None | Unset | UUID = UNSET,
    aggregate_id: None | Unset | UUID = UNSET,
    aggregate_type: None
    | Unset
    | V1AuditSearchAggregateTypeType1
    | V1AuditSearchAggregateTypeType2Type1
    | V1AuditSearchAggregateTypeType3Type1 = UNSET,
    actor_id: None | str | Unset = UNSET,
    type_: None | Unset | V1AuditSearchTypeType0 = UNSET,
    since: None | str | Unset = UNSET,
    until: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    min_position: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_client_id: str | Unset | None
    if isinstance(client_id, Unset):
        json_client_id = UNSET
    elif isinstance(client_id, UUID):
        json_client_id = str(client_id)
    else:
        json_client_id = client_id
    params["client_id"] = json_client_id

    json_aggregate_id: str | Unset | None
    if isinstance(aggregate_id, Unset):
        json_aggregate_id = UNSET
    elif isinstance(aggregate_id, UUID):
        json_aggregate_id = str(aggregate_id)
    else:
        json_aggregate_id = aggregate_id
    params["aggregate_id"] = json_aggregate_id

    json_aggregate_type: str | Unset | None
    if isinstance(aggregate_type, Unset):
        json_aggregate_type = UNSET
    elif (
        isinstance(aggregate_type, V1AuditSearchAggregateTypeType1)
        or isinstance(aggregate_type, V1AuditSearchAggregateTypeType2Type1)
        or isinstance(aggregate_type, V1AuditSearchAggregateTypeType3Type1)
    ):
        json_aggregate_type = aggregate_type.value
    else:
        json_aggregate_type = aggregate_type
    params["aggregate_type"] = json_aggregate_type

    json_actor_id: str | Unset | None
    if isinstance(actor_id, Unset):
        json_actor_id = UNSET
    else:
        json_actor_id = actor_id
    params["actor_id"] = json_actor_id

    json_type_: str | Unset | None
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, V1AuditSearchTypeType0):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_since: str | Unset | None
    if isinstance(since, Unset):
        json_since = UNSET
    else:
        json_since = since
    params["since"] = json_since

    json_until: str | Unset | None
    if isinstance(until, Unset):
        json_until = UNSET
    else:
        json_until = until
    params["until"] = json_until

    json_q: str | Unset | None
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    params["limit"] = limit

    json_cursor: str | Unset | None
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_min_position: int | Unset | None
    if isinstance(min_position, Unset):
        json_min_position = UNSET
    else:
        json_min_position = min_position
    params["min_position"] = json_min_position

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | V1AuditSearchResponse200 | None:
    if response.status_code == 200:
        response_200 = V1AuditSearchResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | V1AuditSearchResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    client_id: None | Unset | UUID = UNSET,
    aggregate_id: None | Unset | UUID = UNSET,
    aggregate_type: None
    | Unset
    | V1AuditSearchAggregateTypeType1
    | V1AuditSearchAggregateTypeType2Type1
    | V1AuditSearchAggregateTypeType3Type1 = UNSET,
    actor_id: None | str | Unset = UNSET,
    type_: None | Unset | V1AuditSearchTypeType0 = UNSET,
    since: None | str | Unset = UNSET,
    until: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    min_position: int | None | Unset = UNSET,
) -> Response[Problem | V1AuditSearchResponse200]:
    """Every decision, newest first, filtered

    Args:
        client_id (None | Unset | UUID): only items of this id
        aggregate_id (None | Unset | UUID): only items of this id
        aggregate_type (None | Unset | V1AuditSearchAggregateTypeType1 |
            V1AuditSearchAggregateTypeType2Type1 | V1AuditSearchAggregateTypeType3Type1):
        actor_id (None | str | Unset):
        type_ (None | Unset | V1AuditSearchTypeType0):
        since (None | str | Unset): an RFC 3339 date-time with an offset
        until (None | str | Unset): an RFC 3339 date-time with an offset
        q (None | str | Unset): text search
        limit (int | Unset): items per page (1-500) Default: 50.
        cursor (None | str | Unset): opaque: the `next_cursor` of the previous page (a bad one is
            400)
        min_position (int | None | Unset): answer only once the read side holds every event up to
            this position

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | V1AuditSearchResponse200]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        aggregate_id=aggregate_id,
        aggregate_type=aggregate_type,
        actor_id=actor_id,
        type_=type_,
        since=since,
        until=until,
        q=q,
        limit=limit,
        cursor=cursor,
        min_position=min_position,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    client_id: None | Unset | UUID = UNSET,
    aggregate_id: None | Unset | UUID = UNSET,
    aggregate_type: None
    | Unset
    | V1AuditSearchAggregateTypeType1
    | V1AuditSearchAggregateTypeType2Type1
    | V1AuditSearchAggregateTypeType3Type1 = UNSET,
    actor_id: None | str | Unset = UNSET,
    type_: None | Unset | V1AuditSearchTypeType0 = UNSET,
    since: None | str | Unset = UNSET,
    until: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    min_position: int | None | Unset = UNSET,
) -> Problem | V1AuditSearchResponse200 | None:
    """Every decision, newest first, filtered

    Args:
        client_id (None | Unset | UUID): only items of this id
        aggregate_id (None | Unset | UUID): only items of this id
        aggregate_type (None | Unset | V1AuditSearchAggregateTypeType1 |
            V1AuditSearchAggregateTypeType2Type1 | V1AuditSearchAggregateTypeType3Type1):
        actor_id (None | str | Unset):
        type_ (None | Unset | V1AuditSearchTypeType0):
        since (None | str | Unset): an RFC 3339 date-time with an offset
        until (None | str | Unset): an RFC 3339 date-time with an offset
        q (None | str | Unset): text search
        limit (int | Unset): items per page (1-500) Default: 50.
        cursor (None | str | Unset): opaque: the `next_cursor` of the previous page (a bad one is
            400)
        min_position (int | None | Unset): answer only once the read side holds every event up to
            this position

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | V1AuditSearchResponse200
    """

    return sync_detailed(
        client=client,
        client_id=client_id,
        aggregate_id=aggregate_id,
        aggregate_type=aggregate_type,
        actor_id=actor_id,
        type_=type_,
        since=since,
        until=until,
        q=q,
        limit=limit,
        cursor=cursor,
        min_position=min_position,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    client_id: None | Unset | UUID = UNSET,
    aggregate_id: None | Unset | UUID = UNSET,
    aggregate_type: None
    | Unset
    | V1AuditSearchAggregateTypeType1
    | V1AuditSearchAggregateTypeType2Type1
    | V1AuditSearchAggregateTypeType3Type1 = UNSET,
    actor_id: None | str | Unset = UNSET,
    type_: None | Unset | V1AuditSearchTypeType0 = UNSET,
    since: None | str | Unset = UNSET,
    until: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    min_position: int | None | Unset = UNSET,
) -> Response[Problem | V1AuditSearchResponse200]:
    """Every decision, newest first, filtered

    Args:
        client_id (None | Unset | UUID): only items of this id
        aggregate_id (None | Unset | UUID): only items of this id
        aggregate_type (None | Unset | V1AuditSearchAggregateTypeType1 |
            V1AuditSearchAggregateTypeType2Type1 | V1AuditSearchAggregateTypeType3Type1):
        actor_id (None | str | Unset):
        type_ (None | Unset | V1AuditSearchTypeType0):
        since (None | str | Unset): an RFC 3339 date-time with an offset
        until (None | str | Unset): an RFC 3339 date-time with an offset
        q (None | str | Unset): text search
        limit (int | Unset): items per page (1-500) Default: 50.
        cursor (None | str | Unset): opaque: the `next_cursor` of the previous page (a bad one is
            400)
        min_position (int | None | Unset): answer only once the read side holds every event up to
            this position

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | V1AuditSearchResponse200]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        aggregate_id=aggregate_id,
        aggregate_type=aggregate_type,
        actor_id=actor_id,
        type_=type_,
        since=since,
        until=until,
        q=q,
        limit=limit,
        cursor=cursor,
        min_position=min_position,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    client_id: None | Unset | UUID = UNSET,
    aggregate_id: None | Unset | UUID = UNSET,
    aggregate_type: None
    | Unset
    | V1AuditSearchAggregateTypeType1
    | V1AuditSearchAggregateTypeType2Type1
    | V1AuditSearchAggregateTypeType3Type1 = UNSET,
    actor_id: None | str | Unset = UNSET,
    type_: None | Unset | V1AuditSearchTypeType0 = UNSET,
    since: None | str | Unset = UNSET,
    until: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    min_position: int | None | Unset = UNSET,
) -> Problem | V1AuditSearchResponse200 | None:
    """Every decision, newest first, filtered

    Args:
        client_id (None | Unset | UUID): only items of this id
        aggregate_id (None | Unset | UUID): only items of this id
        aggregate_type (None | Unset | V1AuditSearchAggregateTypeType1 |
            V1AuditSearchAggregateTypeType2Type1 | V1AuditSearchAggregateTypeType3Type1):
        actor_id (None | str | Unset):
        type_ (None | Unset | V1AuditSearchTypeType0):
        since (None | str | Unset): an RFC 3339 date-time with an offset
        until (None | str | Unset): an RFC 3339 date-time with an offset
        q (None | str | Unset): text search
        limit (int | Unset): items per page (1-500) Default: 50.
        cursor (None | str | Unset): opaque: the `next_cursor` of the previous page (a bad one is
            400)
        min_position (int | None | Unset): answer only once the read side holds every event up to
            this position

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | V1AuditSearchResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            client_id=client_id,
            aggregate_id=aggregate_id,
            aggregate_type=aggregate_type,
            actor_id=actor_id,
            type_=type_,
            since=since,
            until=until,
            q=q,
            limit=limit,
            cursor=cursor,
            min_position=min_position,
        )
    ).parsed

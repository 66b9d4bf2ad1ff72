from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.v1_reviews_review_id_get_review_response_200 import (
    V1ReviewsReviewIdGetReviewResponse200,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    review_id: UUID,
    *,
    version: int | None | Unset = UNSET,
    as_of: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_version: int | Unset | None
    if isinstance(version, Unset):
        json_version = UNSET
    else:
        json_version = version
    params["version"] = json_version

    json_as_of: str | Unset | None
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reviews/{review_id}".format(
            review_id=quote(str(review_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | V1ReviewsReviewIdGetReviewResponse200 | None:
    if response.status_code == 200:
        response_200 = V1ReviewsReviewIdGetReviewResponse200.from_dict(response.json())

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
) -> Response[Problem | V1ReviewsReviewIdGetReviewResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    review_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    version: int | None | Unset = UNSET,
    as_of: None | str | Unset = UNSET,
) -> Response[Problem | V1ReviewsReviewIdGetReviewResponse200]:
    """GetReview

    Args:
        review_id (UUID):
        version (int | None | Unset): the resource as it was after this version (404 if none)
        as_of (None | str | Unset): the resource as it was after its last event at or before this
            time

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | V1ReviewsReviewIdGetReviewResponse200]
    """

    kwargs = _get_kwargs(
        review_id=review_id,
        version=version,
        as_of=as_of,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    review_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    version: int | None | Unset = UNSET,
    as_of: None | str | Unset = UNSET,
) -> Problem | V1ReviewsReviewIdGetReviewResponse200 | None:
    """GetReview

    Args:
        review_id (UUID):
        version (int | None | Unset): the resource as it was after this version (404 if none)
        as_of (None | str | Unset): the resource as it was after its last event at or before this
            time

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | V1ReviewsReviewIdGetReviewResponse200
    """

    return sync_detailed(
        review_id=review_id,
        client=client,
        version=version,
        as_of=as_of,
    ).parsed


async def asyncio_detailed(
    review_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    version: int | None | Unset = UNSET,
    as_of: None | str | Unset = UNSET,
) -> Response[Problem | V1ReviewsReviewIdGetReviewResponse200]:
    """GetReview

    Args:
        review_id (UUID):
        version (int | None | Unset): the resource as it was after this version (404 if none)
        as_of (None | str | Unset): the resource as it was after its last event at or before this
            time

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | V1ReviewsReviewIdGetReviewResponse200]
    """

    kwargs = _get_kwargs(
        review_id=review_id,
        version=version,
        as_of=as_of,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    review_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    version: int | None | Unset = UNSET,
    as_of: None | str | Unset = UNSET,
) -> Problem | V1ReviewsReviewIdGetReviewResponse200 | None:
    """GetReview

    Args:
        review_id (UUID):
        version (int | None | Unset): the resource as it was after this version (404 if none)
        as_of (None | str | Unset): the resource as it was after its last event at or before this
            time

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | V1ReviewsReviewIdGetReviewResponse200
    """

    return (
        await asyncio_detailed(
            review_id=review_id,
            client=client,
            version=version,
            as_of=as_of,
        )
    ).parsed

"""Outbound requests can't be aimed at the internal network; callbacks are signed (net/)."""

from __future__ import annotations

import ipaddress

import pytest
from standardwebhooks import Webhook

from factcheck.net.outbound import OutboundClient, OutboundRefused, refusal
from factcheck.net.webhooks import WebhookSender
from tests.receivers import receiving

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # CGNAT
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "::",
        "fc00::1",
        "fe80::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:169.254.169.254",
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo carrying 10.0.0.1
    ],
)
def test_internal_addresses_in_every_form_are_refused(address):
    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://api.localhost/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "http://169.254.169.254/latest/meta-data",
        "ftp://example.org/hook",
    ],
)
def test_a_url_that_can_never_be_called_is_refused_when_accepted(url):
    assert OutboundClient().url_problem(url)


def test_the_allow_list_admits_named_internal_receivers():
    client = OutboundClient("127.0.0.0/8, hooks.internal")
    assert client.url_problem("http://127.0.0.1:9000/x") is None
    assert client.url_problem("http://hooks.internal/x") is None
    assert client.url_problem("http://10.0.0.1/x")


@pytest.mark.parametrize("host", ["2130706433", "127.1", "0x7f.1"])  # 127.0.0.1 spelled as resolvers read it
def test_a_name_that_resolves_to_an_internal_address_is_refused_when_sending(host):
    client = OutboundClient()
    assert client.url_problem(f"http://{host}/x") is None  # not a literal address: judged when resolved
    with pytest.raises(OutboundRefused, match="resolves to 127.0.0.1"):
        client.post(f"http://{host}:9/x", b"{}", {})


@pytest.fixture
def receiver():
    with receiving() as got:
        yield got


def test_a_signed_webhook_verifies_with_the_standard_webhooks_library(receiver):
    sender = WebhookSender(OutboundClient("127.0.0.1"), SECRET, attempts=1)
    assert sender.send(receiver.url(), "msg_1", {"type": "job.finished", "id": "j1"}) == ("delivered", 1)
    headers, body = receiver.received[-1]
    assert Webhook(SECRET).verify(body, headers) == {"type": "job.finished", "id": "j1"}
    with pytest.raises(Exception, match="signature"):
        Webhook(SECRET).verify(body.replace(b"j1", b"j2"), headers)  # a forged body does not verify


def test_without_a_secret_webhooks_go_unsigned(receiver):
    WebhookSender(OutboundClient("127.0.0.1"), "", attempts=1).send(receiver.url(), "msg_2", {"id": "j2"})
    headers, _ = receiver.received[-1]
    assert "webhook-signature" not in {k.lower() for k in headers}


def test_redirects_are_not_followed(receiver):
    receiver.status = 302
    outcome, attempts = WebhookSender(OutboundClient("127.0.0.1"), SECRET, attempts=2, first_delay=0.01).send(
        receiver.url(), "msg_3", {"id": "j3"}
    )
    assert (outcome, attempts) == ("failed: HTTP 302", 2) and len(receiver.received) == 2  # nothing at Location


def test_an_internal_receiver_is_refused_without_the_allow_list(receiver):
    outcome, attempts = WebhookSender(OutboundClient(), SECRET, attempts=3).send(receiver.url(), "msg_4", {"id": "j4"})
    assert outcome.startswith("failed: refused") and attempts == 1 and not receiver.received


@pytest.mark.parametrize("url", ["https://[7F]/x", "http://host:99999/x", "http://:80/x"])
def test_a_malformed_url_is_a_problem_not_a_crash(url):
    assert OutboundClient().url_problem(url) == "must be an http(s) URL"
    with pytest.raises(OutboundRefused):
        OutboundClient().post(url, b"{}", {})

#!/usr/bin/env python3
"""DistriBank customer API client: Python 3 standard library only (urllib, json).

As a module::

    from distribank_client import DistribankClient
    bank = DistribankClient("http://127.0.0.1:7001")
    bank.sign_in("maria", "s3cret-pass")
    result = bank.transfer("1001", to_bank="b2", to_account="1001", amount=12345)   # integer cents
    print(result["status"])                       # COMMITTED, or ABORTED with "reason"
    for entry in bank.statement("1001"):
        print(entry["kind"], entry["amount"], entry["balanceAfter"])

Paying from an account at another bank (API.md v1.1) takes that bank's consent, given there and linked here::

    other = DistribankClient("http://127.0.0.1:7002")
    other.sign_in("maria", "her-password-at-b2")                    # the other bank's own login, sent there only
    grant = other.create_consent("1001", grantee="b1", limit=50000, read=True)
    bank.link_account(grant["consent"])                             # the token, in a body, never a URL or a log
    other.sign_out()
    bank.transfer("1001", to_bank="b3", to_account="1001", amount=100, from_bank="b2")

As a command (the password comes from DISTRIBANK_PASSWORD or, with --password-stdin, from the first line of
standard input, never from the command line)::

    DISTRIBANK_PASSWORD=... python3 distribank_client.py --url URL --username maria transfer \\
        --from-account 1001 --to-bank b2 --to-account 1001 --amount 12345
    DISTRIBANK_PASSWORD=... python3 distribank_client.py --url URL --username maria statement 1001
    DISTRIBANK_PASSWORD=... DISTRIBANK_OTHER_PASSWORD=... python3 distribank_client.py --url URL --username maria \\
        link --other-url URL2 --other-username maria --account 1001 --limit 50000 --days 30 --read

It prints one JSON document on stdout. Exit status: 0 done (a transfer COMMITTED), 1 the API refused
(the error JSON on stderr), 2 bad usage (e.g. an amount that is not integer cents), 3 the transfer was
ABORTED (its result on stdout), 4 still PENDING when the wait ended.

The contract is API.md's customer API: POST /api/v1/sessions, POST /api/v1/transfers,
GET /api/v1/accounts/{account}/statement, the consents of v1.1 (/api/v1/consents, /api/v1/linked-accounts), with
"Authorization: Bearer <token>"; amounts are integer cents.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

__all__ = ["DistribankClient", "ApiError"]

MAX_AMOUNT = 100_000_000_000_000


class ApiError(Exception):
    """A refused request: HTTP status, the API's error code and message, and the whole body."""

    def __init__(self, status, error, message, body=None):
        super().__init__(f"{status} {error}: {message}")
        self.status = status
        self.error = error
        self.message = message
        self.body = body if body is not None else {}


def _cents(amount):
    # bool is an int in Python; money is never a float (10.5 is refused here, as the server refuses it)
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"amount must be integer cents, got {amount!r}")
    if not 0 < amount <= MAX_AMOUNT:
        raise ValueError(f"amount must be 1..{MAX_AMOUNT} cents, got {amount}")
    return amount


class DistribankClient:
    """One customer's connection to one bank of the consortium (its base URL)."""

    def __init__(self, base_url, token=None, timeout=15.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.session = None

    # ---- HTTP

    def _call(self, method, path, body=None, auth=True):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if auth:
            if not self.token:
                raise ApiError(401, "NOT_SIGNED_IN", "sign in first")
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, _json(response.read())
        except urllib.error.HTTPError as e:
            payload = _json(e.read())
            raise ApiError(e.code, payload.get("error", "HTTP_" + str(e.code)),
                           payload.get("message", e.reason), payload) from None

    # ---- customer API

    def sign_in(self, username, password):
        """POST /api/v1/sessions; keeps the token. Returns the session (token, holder, accounts here)."""
        _, session = self._call("POST", "/api/v1/sessions", {"username": username, "password": password}, auth=False)
        self.token = session["token"]
        self.session = session
        return session

    def sign_out(self):
        self._call("DELETE", "/api/v1/sessions/current")
        self.token = None
        self.session = None

    def account(self, account):
        return self._call("GET", "/api/v1/accounts/" + urllib.parse.quote(account, safe=""))[1]

    def me(self):
        """GET /api/v1/me: the holder, their accounts here, and "linked" (accounts at other banks linked here)."""
        return self._call("GET", "/api/v1/me")[1]

    # ---- consents (API.md v1.1): given at the account's own bank, linked at the bank that will debit it

    def create_consent(self, account, grantee, limit, expires_at=None, read=False):
        """POST /api/v1/consents at the account's own bank: lets bank `grantee` debit `account` up to `limit`
        cents in all until `expires_at` (ISO-8601; default and at most 90 days). `read` lets it show the balance.
        Returns {"id","consent":<token>,"bank","account","grantee","limit","remaining","expiresAt","read"}; the
        token is shown once: hand it to link_account at the grantee, and keep it out of logs and URLs."""
        if not isinstance(read, bool):
            raise ValueError(f"read must be True or False, got {read!r}")
        body = {"account": account, "grantee": grantee, "limit": _cents(limit), "read": read}
        if expires_at is not None:
            body["expiresAt"] = expires_at
        return self._call("POST", "/api/v1/consents", body)[1]

    def list_consents(self):
        """GET /api/v1/consents: the consents this holder gave at this bank (without their tokens)."""
        return self._call("GET", "/api/v1/consents")[1]["consents"]

    def revoke_consent(self, consent_id):
        """DELETE /api/v1/consents/{id}: authorises nothing ordered after it."""
        self._call("DELETE", "/api/v1/consents/" + urllib.parse.quote(consent_id, safe=""))

    def link_account(self, consent_token):
        """POST /api/v1/linked-accounts at the grantee bank with the token (in the body). Returns
        {"bank","account","consentId","remaining","expiresAt"}; transfers here may then pay from that account."""
        return self._call("POST", "/api/v1/linked-accounts", {"consent": consent_token})[1]

    def unlink_account(self, bank, account):
        """DELETE /api/v1/linked-accounts/{bank}/{account}."""
        self._call("DELETE", "/api/v1/linked-accounts/" + urllib.parse.quote(bank, safe="") + "/"
                   + urllib.parse.quote(account, safe=""))

    def statement(self, account, after=None, limit=None):
        """The account's entries, oldest first: [{"transaction","kind","amount","balanceAfter","at",...}]."""
        query = {k: v for k, v in (("after", after), ("limit", limit)) if v is not None}
        path = "/api/v1/accounts/" + urllib.parse.quote(account, safe="") + "/statement"
        if query:
            path += "?" + urllib.parse.urlencode(query)
        return self._call("GET", path)[1]["entries"]

    def transfer(self, from_account, to_bank, to_account, amount, from_bank=None, transaction_id=None,
                 wait_seconds=30.0):
        """One leg from an account of this session to any bank's account; see transfer_legs."""
        if from_bank is None:
            from_bank = self._bank_of(from_account)
        leg = {"from": {"bank": from_bank, "account": from_account},
               "to": {"bank": to_bank, "account": to_account}, "amount": _cents(amount)}
        return self.transfer_legs([leg], transaction_id, wait_seconds)

    def transfer_legs(self, legs, transaction_id=None, wait_seconds=30.0):
        """POST /api/v1/transfers: all legs commit or none. The id (a new UUID unless given) makes a retry safe:
        the same id and body never apply twice. A PENDING answer is followed up with GET
        /api/v1/transactions/{id} for up to wait_seconds. Returns the transaction result."""
        for leg in legs:
            _cents(leg["amount"])
        transaction_id = transaction_id or str(uuid.uuid4())
        status, result = self._call("POST", "/api/v1/transfers", {"id": transaction_id, "legs": legs})
        return self._until_decided(status, result, transaction_id, wait_seconds)

    def deposit(self, account, amount, transaction_id=None, wait_seconds=30.0):
        transaction_id = transaction_id or str(uuid.uuid4())
        status, result = self._call("POST", "/api/v1/deposits",
                                    {"id": transaction_id, "account": account, "amount": _cents(amount)})
        return self._until_decided(status, result, transaction_id, wait_seconds)

    def transaction(self, transaction_id):
        return self._call("GET", "/api/v1/transactions/" + urllib.parse.quote(transaction_id, safe=""))[1]

    def _until_decided(self, status, result, transaction_id, wait_seconds):
        deadline = time.monotonic() + wait_seconds
        while result.get("status") == "PENDING" and time.monotonic() < deadline:
            time.sleep(0.5)  # the server already waited a few seconds; this is a bounded poll
            result = self.transaction(transaction_id)
        return result

    def _bank_of(self, account):
        for a in (self.session or {}).get("accounts", []):
            if a.get("account") == account:
                return a["bank"]
        raise ValueError(f"account {account} is not one of this session's accounts at this bank: give from_bank")


def _json(raw):
    if not raw:
        return {}
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {"message": raw[:200].decode("utf-8", "replace")}
    return value if isinstance(value, dict) else {"value": value}


# ---- command line

def _amount_arg(text):
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"amount must be integer cents (e.g. 12345 for 123.45), got {text!r}")
    try:
        return _cents(int(text))
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _parser():
    p = argparse.ArgumentParser(prog="distribank_client.py",
                                description="DistriBank customer API client (amounts in integer cents).")
    p.add_argument("--url", required=True, help="the bank's base URL, e.g. http://127.0.0.1:7001")
    p.add_argument("--username", required=True)
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of stdin (default: $DISTRIBANK_PASSWORD)")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds per HTTP request (default 15)")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("transfer", help="move money; prints the transaction result")
    t.add_argument("--from-account", required=True)
    t.add_argument("--from-bank", help="default: the bank of --url that holds --from-account")
    t.add_argument("--to-bank", required=True)
    t.add_argument("--to-account", required=True)
    t.add_argument("--amount", required=True, type=_amount_arg, help="integer cents")
    t.add_argument("--id", help="idempotency key (UUID); default: a new one")
    s = sub.add_parser("statement", help="print the account's statement")
    s.add_argument("account")
    b = sub.add_parser("balance", help="print the account (balance in cents)")
    b.add_argument("account")
    sub.add_parser("me", help="print the holder, the accounts here and the linked ones")
    k = sub.add_parser("link", help="link an account at another bank here: sign in there (its own password, from "
                                    "$DISTRIBANK_OTHER_PASSWORD), get its consent for this bank, link it, sign out there")
    k.add_argument("--other-url", required=True, help="the URL of the bank that holds the account")
    k.add_argument("--other-username", required=True, help="the username at that bank")
    k.add_argument("--account", required=True, help="the account number at that bank")
    k.add_argument("--limit", required=True, type=_amount_arg, help="the most this bank may debit, integer cents")
    k.add_argument("--days", type=int, default=90, help="how long the consent lasts, 1..90 (default 90)")
    k.add_argument("--read", action="store_true", help="let this bank show the account's balance")
    u = sub.add_parser("unlink", help="unlink an account of another bank here")
    u.add_argument("--bank", required=True)
    u.add_argument("--account", required=True)
    sub.add_parser("consents", help="print the consents I gave at this bank")
    r = sub.add_parser("revoke", help="revoke a consent I gave at this bank")
    r.add_argument("consent_id")
    return p


def _link(bank, args):
    """The link flow: the other bank's password goes to the other bank only."""
    other_password = os.environ.get("DISTRIBANK_OTHER_PASSWORD")
    if not other_password:
        raise ValueError("no password for the other bank (set DISTRIBANK_OTHER_PASSWORD)")
    if not 1 <= args.days <= 90:
        raise ValueError(f"--days must be 1..90, got {args.days}")
    grantee = _bank_id(bank)
    other = DistribankClient(args.other_url, timeout=bank.timeout)
    other.sign_in(args.other_username, other_password)
    try:
        expires = None
        if args.days < 90:  # 90 days is the banks' longest: left to the owning bank's clock
            expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + args.days * 86400))
        grant = other.create_consent(args.account, grantee, args.limit, expires_at=expires, read=args.read)
        try:
            return bank.link_account(grant["consent"])
        except ApiError:
            other.revoke_consent(grant["id"])  # not linked here: leave no live authority behind
            raise
    finally:
        other.sign_out()


def _bank_id(bank):
    """This bank's id, from the accounts of the session (every bank answers with its own id)."""
    for a in (bank.session or {}).get("accounts", []):
        if a.get("bank"):
            return a["bank"]
    raise ValueError("this login holds no account here, so there is nothing to link an account to")


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = os.environ.get("DISTRIBANK_PASSWORD")
    if not password:
        print("distribank_client.py: no password (set DISTRIBANK_PASSWORD or use --password-stdin)", file=sys.stderr)
        return 2
    bank = DistribankClient(args.url, timeout=args.timeout)
    try:
        bank.sign_in(args.username, password)
        if args.command == "transfer":
            result = bank.transfer(args.from_account, args.to_bank, args.to_account, args.amount,
                                   from_bank=args.from_bank, transaction_id=args.id)
            print(json.dumps(result))
            return {"COMMITTED": 0, "ABORTED": 3}.get(result.get("status"), 4)
        if args.command == "statement":
            print(json.dumps({"account": args.account, "entries": bank.statement(args.account)}))
        elif args.command == "me":
            print(json.dumps(bank.me()))
        elif args.command == "link":
            print(json.dumps(_link(bank, args)))
        elif args.command == "unlink":
            bank.unlink_account(args.bank, args.account)
            print(json.dumps({"bank": args.bank, "account": args.account, "linked": False}))
        elif args.command == "consents":
            print(json.dumps({"consents": bank.list_consents()}))
        elif args.command == "revoke":
            bank.revoke_consent(args.consent_id)
            print(json.dumps({"id": args.consent_id, "status": "REVOKED"}))
        else:
            print(json.dumps(bank.account(args.account)))
        return 0
    except ApiError as e:
        print(json.dumps({"status": e.status, "error": e.error, "message": e.message}), file=sys.stderr)
        return 1
    except ValueError as e:
        print("distribank_client.py: " + str(e), file=sys.stderr)
        return 2
    except (urllib.error.URLError, OSError) as e:
        print(json.dumps({"error": "UNREACHABLE", "message": str(e)}), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

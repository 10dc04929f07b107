"""The WeChat / WeCom message envelope: AES-256-CBC, IV = key[:16], PKCS#7 padded to 32 bytes.

Plaintext buffer: random16 || len(msg) as 4 bytes big-endian || msg || receive_id (appid / corpid).
The `cryptography` primitives run with no padding of their own: PKCS#7 here pads to a 32-byte
block, which `cryptography.hazmat.primitives.padding.PKCS7(128)` would get wrong.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ..errors import PayloadInvalid, SignatureInvalid
from .signing import equal

BLOCK = 32  # WeChat's PKCS#7 block size (not AES's 16)
_AES_BLOCK = 16


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key from a 43-character EncodingAESKey.

    Raises:
        PayloadInvalid: when the EncodingAESKey does not decode to 32 bytes.
    """
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PayloadInvalid("EncodingAESKey is not base64") from exc
    if len(key) != 32:
        raise PayloadInvalid("EncodingAESKey must decode to 32 bytes")
    return key


def pad(data: bytes) -> bytes:
    """PKCS#7 to a 32-byte block: 1..32 bytes of value n, a whole block when already aligned."""
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


def unpad(data: bytes) -> bytes:
    """Strip PKCS#7-32 padding.

    Raises:
        PayloadInvalid: when the last byte is 0 or over 32, or the padding bytes disagree.
    """
    n = data[-1] if data else 0
    if not 1 <= n <= BLOCK or len(data) < n or data[-n:] != bytes([n]) * n:
        raise PayloadInvalid("bad padding")
    return data[:-n]


def _cipher(key: bytes) -> Cipher[modes.CBC]:
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def encrypt(key: bytes, message: bytes, receive_id: str, *, random16: bytes | None = None) -> str:
    """Encrypt one message for `receive_id`; base64 text as carried in `<Encrypt>`.

    `random16` is injectable so a published vector can be reproduced byte for byte.
    """
    nonce = os.urandom(16) if random16 is None else random16
    if len(nonce) != 16:
        raise ValueError("random16 must be 16 bytes")
    plain = nonce + struct.pack(">I", len(message)) + message + receive_id.encode()
    enc = _cipher(key).encryptor()
    return base64.b64encode(enc.update(pad(plain)) + enc.finalize()).decode()


def decrypt(key: bytes, encrypted: str, receive_id: str) -> bytes:
    """Decrypt `<Encrypt>` text and check that it was meant for `receive_id`; returns the message.

    Raises:
        PayloadInvalid: not base64, truncated, bad padding or a length that does not fit.
        SignatureInvalid: the trailing receive id is not ours (another appid / corpid).
    """
    try:
        raw = base64.b64decode(encrypted, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PayloadInvalid("ciphertext is not base64") from exc
    if not raw or len(raw) % _AES_BLOCK:
        raise PayloadInvalid("ciphertext is truncated")
    dec = _cipher(key).decryptor()
    plain = unpad(dec.update(raw) + dec.finalize())
    if len(plain) < 20:
        raise PayloadInvalid("decrypted buffer too short")
    (length,) = struct.unpack(">I", plain[16:20])
    if 20 + length > len(plain):
        raise PayloadInvalid("message length does not fit the buffer")
    message, tail = plain[20 : 20 + length], plain[20 + length :]
    if not equal(tail, receive_id.encode()):
        raise SignatureInvalid("message was not encrypted for this app id")
    return message

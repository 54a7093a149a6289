package org.decisiongraph.core.json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** {@code "sha256:" + lowercase hex} of SHA-256, the one hash format of DecisionGraph. */
public final class Hashing {
    public static final String PREFIX = "sha256:";
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Hashing::newSha256);
    /** Cloned for virtual threads, which live for one request: a thread-local would look the provider up each time. */
    private static final MessageDigest PROTOTYPE = newSha256();

    private Hashing() {
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    /** A reset SHA-256 digest for the calling thread. */
    private static MessageDigest sha256Digest() {
        if (Thread.currentThread().isVirtual()) {
            try {
                return (MessageDigest) PROTOTYPE.clone();
            } catch (CloneNotSupportedException e) {
                return newSha256();
            }
        }
        MessageDigest md = SHA256.get();
        md.reset();
        return md;
    }

    /** Payload hash: SHA-256 over the canonical JSON bytes; throws on floats and lone surrogates. */
    public static String payloadHash(Json payload) {
        MessageDigest md = sha256Digest();
        CanonicalEncoder.encodeTo(payload, (b, n) -> md.update(b, 0, n));
        return prefixedHex(md.digest());
    }

    /** {@code sha256:} + hex of SHA-256 over the UTF-8 bytes of {@code text}. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        MessageDigest md = sha256Digest();
        return prefixedHex(md.digest(bytes));
    }

    /** {@code sha256:} + hex of SHA-256 over {@code bytes[offset, offset + length)}. */
    public static String sha256(byte[] bytes, int offset, int length) {
        MessageDigest md = sha256Digest();
        md.update(bytes, offset, length);
        return prefixedHex(md.digest());
    }

    public static String prefixedHex(byte[] digest) {
        char[] out = new char[PREFIX.length() + digest.length * 2];
        PREFIX.getChars(0, PREFIX.length(), out, 0);
        int p = PREFIX.length();
        for (byte b : digest) {
            out[p++] = HEX[(b >> 4) & 0xf];
            out[p++] = HEX[b & 0xf];
        }
        return new String(out);
    }
}

package org.decisiongraph.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.decisiongraph.core.json.Hashing;

/**
 * API tokens: 32 random bytes, base64url without padding (43 characters). Only
 * {@code "sha256:" + hex(SHA-256(token))} is stored; comparisons of hashes are constant-time.
 */
public final class Tokens {
    public static final int DISPLAY_PREFIX_LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A new random token (shown once, never stored). */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code sha256:<hex>} of the token's UTF-8 bytes. */
    public static String hash(String token) {
        return Hashing.sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    public static String displayPrefix(String token) {
        return token.substring(0, Math.min(DISPLAY_PREFIX_LENGTH, token.length()));
    }

    /** Constant-time comparison of two hashes (or tokens). */
    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}

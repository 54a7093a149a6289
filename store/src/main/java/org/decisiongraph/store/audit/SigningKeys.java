package org.decisiongraph.store.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.core.json.Hashing;

/**
 * Ed25519 keys (the JDK's own provider) and their files. A private key file holds two PEM blocks: the
 * PKCS#8 {@code PRIVATE KEY} and the X.509 {@code PUBLIC KEY}; it is created with mode 600. A public key
 * file holds the {@code PUBLIC KEY} block only. The key id is {@code "ed25519:"} + the first 32 hex digits
 * of SHA-256 over the public key's X.509 (DER) encoding.
 */
public final class SigningKeys {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    /** A key pair (the private half may be null for a public-only file). */
    public record Keys(PrivateKey privateKey, PublicKey publicKey) {
        public String keyId() {
            return SigningKeys.keyId(publicKey);
        }
    }

    private SigningKeys() {
    }

    public static Keys generate() {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new Keys(kp.getPrivate(), kp.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK", e);
        }
    }

    public static String keyId(PublicKey key) {
        String hex = Hashing.sha256(key.getEncoded()).substring(Hashing.PREFIX.length());
        return "ed25519:" + hex.substring(0, 32);
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String privatePem(Keys keys) {
        return pem("PRIVATE KEY", keys.privateKey().getEncoded()) + publicPem(keys.publicKey());
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** Writes {@code <dir>/<name>.key} (mode 600) and {@code <dir>/<name>.pub}; refuses to overwrite. */
    public static Keys writeNew(Path dir, String name) {
        Keys keys = generate();
        Path priv = dir.resolve(name + ".key");
        Path pub = dir.resolve(name + ".pub");
        if (Files.exists(priv) || Files.exists(pub)) {
            throw DgErrors.invalidArgument("key files for '" + name + "' already exist in " + dir);
        }
        try {
            Files.createDirectories(dir);
            try {
                Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(priv);
            }
            Files.writeString(priv, privatePem(keys), StandardCharsets.US_ASCII);
            Files.writeString(pub, publicPem(keys.publicKey()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw DgErrors.invalidArgument("cannot write key files in " + dir + ": " + e.getMessage());
        }
        return keys;
    }

    /** Reads a private key file (both blocks) or a public key file (public block only, private null). */
    public static Keys read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw DgErrors.invalidArgument("cannot read key file '" + file + "': " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    public static Keys parse(String text, String what) {
        PrivateKey priv = null;
        PublicKey pub = null;
        Matcher m = PEM.matcher(text);
        try {
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                switch (m.group(1)) {
                    case "PRIVATE KEY" -> priv = kf.generatePrivate(new PKCS8EncodedKeySpec(der));
                    case "PUBLIC KEY" -> pub = kf.generatePublic(new X509EncodedKeySpec(der));
                    default -> { }
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw DgErrors.invalidArgument("'" + what + "' is not an Ed25519 key file: " + e.getMessage());
        }
        if (pub == null) {
            throw DgErrors.invalidArgument("'" + what + "' holds no Ed25519 PUBLIC KEY block");
        }
        return new Keys(priv, pub);
    }

    /** Base64 (standard alphabet, padded) of the Ed25519 signature over {@code message}'s UTF-8 bytes. */
    public static String sign(PrivateKey key, String message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** True when {@code signatureB64} is a valid Ed25519 signature of {@code message} by {@code key}. */
    public static boolean verify(PublicKey key, String message, String signatureB64) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(signatureB64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}

package dev.bulwark.core.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The "traditional" private-key encodings openssl and many CAs emit, turned into PKCS#8 (the one
 * form the JDK's {@code KeyFactory} reads) by wrapping their DER in a PrivateKeyInfo (RFC 5208):
 * {@code SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key }}.
 *
 * <ul>
 *   <li>PKCS#1 {@code RSAPrivateKey} ({@code BEGIN RSA PRIVATE KEY}): algorithm rsaEncryption, NULL parameters.</li>
 *   <li>SEC1 {@code ECPrivateKey} ({@code BEGIN EC PRIVATE KEY}, RFC 5915): algorithm id-ecPublicKey
 *       with the named-curve OID taken from the key's own {@code [0] parameters}.</li>
 * </ul>
 */
final class TraditionalKeys {
    private static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    private static final byte[] DER_NULL = {0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private TraditionalKeys() {}

    /** PKCS#8 for a PKCS#1 RSAPrivateKey. */
    static byte[] fromPkcs1(byte[] rsaPrivateKey) {
        Tlv outer = Tlv.read(rsaPrivateKey, 0);
        if (outer.tag != 0x30 || outer.end != rsaPrivateKey.length) throw new IllegalArgumentException("not a DER RSAPrivateKey (PKCS#1)");
        return privateKeyInfo(concat(RSA_ENCRYPTION, DER_NULL), rsaPrivateKey);
    }

    /** PKCS#8 for a SEC1 ECPrivateKey; its curve must be named in {@code [0] parameters}. */
    static byte[] fromSec1(byte[] ecPrivateKey) {
        Tlv outer = Tlv.read(ecPrivateKey, 0);
        if (outer.tag != 0x30 || outer.end != ecPrivateKey.length) throw new IllegalArgumentException("not a DER ECPrivateKey (SEC1)");
        byte[] curve = null;
        ByteArrayOutputStream rest = new ByteArrayOutputStream(); // the key without [0]: PKCS#8 names the curve once, outside
        for (int at = outer.start; at < outer.end; ) {
            Tlv field = Tlv.read(ecPrivateKey, at);
            if (field.tag == (byte) 0xA0) { // [0] ECParameters: a namedCurve OID
                Tlv oid = Tlv.read(ecPrivateKey, field.start);
                if (oid.tag != 0x06) throw new IllegalArgumentException("the EC key's parameters are not a named curve (explicit curve parameters are not supported)");
                curve = Arrays.copyOfRange(ecPrivateKey, field.start, oid.end);
            } else {
                rest.write(ecPrivateKey, at, field.end - at);
            }
            at = field.end;
        }
        if (curve == null) throw new IllegalArgumentException("the EC key does not name its curve (no [0] parameters)");
        return privateKeyInfo(concat(EC_PUBLIC_KEY, curve), tlv(0x30, rest.toByteArray()));
    }

    private static byte[] privateKeyInfo(byte[] algorithmContent, byte[] key) {
        return tlv(0x30, concat(VERSION_0, tlv(0x30, algorithmContent), tlv(0x04, key)));
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xFFFFFF ? 4 : n > 0xFFFF ? 3 : n > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(n >>> (8 * i));
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** One DER tag-length-value: its tag, where its content starts and where it ends. */
    private record Tlv(byte tag, int start, int end) {
        static Tlv read(byte[] der, int at) {
            if (at + 2 > der.length) throw new IllegalArgumentException("truncated DER");
            byte tag = der[at];
            int len = der[at + 1] & 0xFF, start = at + 2;
            if (len >= 0x80) {
                int bytes = len & 0x7F;
                if (bytes == 0 || bytes > 4 || start + bytes > der.length) throw new IllegalArgumentException("bad DER length");
                len = 0;
                for (int i = 0; i < bytes; i++) len = (len << 8) | (der[start + i] & 0xFF);
                start += bytes;
            }
            if (len < 0 || start + len > der.length) throw new IllegalArgumentException("truncated DER");
            return new Tlv(tag, start, start + len);
        }
    }
}

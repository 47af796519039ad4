package dev.xenon.control.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordCipherTest {
    private final PasswordCipher cipher = new PasswordCipher(key(1));

    @Test
    void roundTripsUnderAFreshNonceEachTime() {
        String first = cipher.encrypt("npg_secret", "alice");
        String second = cipher.encrypt("npg_secret", "alice");
        assertThat(first).startsWith("aesgcm1:").doesNotContain("npg_secret").isNotEqualTo(second);
        assertThat(cipher.decrypt(first, "alice")).isEqualTo("npg_secret");
        assertThat(cipher.decrypt(second, "alice")).isEqualTo("npg_secret");
    }

    @Test
    void anotherRoleAnotherKeyOrAnAlteredValueDoNotDecrypt() {
        String sealed = cipher.encrypt("npg_secret", "alice");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "bob")).isInstanceOf(PasswordCipher.WrongKey.class);
        assertThatThrownBy(() -> new PasswordCipher(key(2)).decrypt(sealed, "alice"))
                .isInstanceOf(PasswordCipher.WrongKey.class).hasMessageContaining("XENON_SECRET_KEY");
        char[] altered = sealed.toCharArray();
        altered[20] = altered[20] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> cipher.decrypt(new String(altered), "alice"))
                .isInstanceOf(PasswordCipher.WrongKey.class);
    }

    @Test
    void plaintextFromBeforeEncryptionReadsAsItIs() {
        assertThat(cipher.decrypt("npg_old", "alice")).isEqualTo("npg_old");
        assertThat(PasswordCipher.isEncrypted("npg_old")).isFalse();
    }

    @Test
    void keysMustBe32BytesOfBase64() {
        assertThat(PasswordCipher.fromBase64("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=", "test")
                .decrypt(cipher.encrypt("x", "r"), "r")).isEqualTo("x");
        assertThatThrownBy(() -> PasswordCipher.fromBase64("c2hvcnQ=", "XENON_SECRET_KEY"))
                .hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> PasswordCipher.fromBase64("not base64!", "XENON_SECRET_KEY"))
                .hasMessageContaining("not base64");
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}

package io.redispatterns.crypto;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ValueEncryptorTests {

	static final EncryptionKey K1 = EncryptionKey.aes("k1", bytes(32, 1));

	static final EncryptionKey K2 = EncryptionKey.aes("k2", bytes(16, 2));

	@Test
	void aValueRoundTripsAndItsEnvelopeShowsOnlyTheKeyId() {
		ValueEncryptor encryptor = new ValueEncryptor(new StaticKeyProvider(List.of(K1), "k1"));
		String envelope = encryptor.encrypt("{\"card\":\"4111 1111 1111 1111\"}", "cache:payments");

		assertThat(envelope).startsWith("rpe1$k1$").doesNotContain("4111").doesNotContain("card");
		assertThat(encryptor.decrypt(envelope, "cache:payments")).isEqualTo("{\"card\":\"4111 1111 1111 1111\"}");
		assertThat(encryptor.encrypt("same", "c")).as("a fresh nonce per value").isNotEqualTo(encryptor.encrypt("same", "c"));
	}

	@Test
	void everyChangedByteOfTheEnvelopeIsDetected() {
		ValueEncryptor encryptor = new ValueEncryptor(new StaticKeyProvider(List.of(K1), "k1"));
		String envelope = encryptor.encrypt("secret value", "ctx");
		byte[] body = Base64.getUrlDecoder().decode(envelope.substring("rpe1$k1$".length()));
		for (int i = 0; i < body.length; i++) {
			byte[] tampered = body.clone();
			tampered[i] ^= 0x01;
			String changed = "rpe1$k1$" + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
			assertThatExceptionOfType(UndecryptableValueException.class).as("byte %d", i)
				.isThrownBy(() -> encryptor.decrypt(changed, "ctx"));
		}
	}

	@Test
	void aValueDoesNotDecryptInAnotherContextOrWithoutItsKey() {
		ValueEncryptor encryptor = new ValueEncryptor(new StaticKeyProvider(List.of(K1), "k1"));
		String envelope = encryptor.encrypt("secret", "session:abc:token");

		assertThatExceptionOfType(UndecryptableValueException.class)
			.isThrownBy(() -> encryptor.decrypt(envelope, "session:def:token"))
			.withMessageContaining("authentication failed");
		assertThatExceptionOfType(UndecryptableValueException.class)
			.isThrownBy(() -> new ValueEncryptor(new StaticKeyProvider(List.of(K2), "k2")).decrypt(envelope,
					"session:abc:token"))
			.withMessageContaining("'k1'");
		assertThatExceptionOfType(UndecryptableValueException.class)
			.isThrownBy(() -> encryptor.decrypt("\"plain json\"", "session:abc:token"))
			.withMessageContaining("not an encrypted value");
		String otherKeyId = envelope.replace("rpe1$k1$", "rpe1$k2$");
		assertThatExceptionOfType(UndecryptableValueException.class).as("the key id is authenticated too")
			.isThrownBy(() -> new ValueEncryptor(new StaticKeyProvider(List.of(K1, EncryptionKey.aes("k2", bytes(32, 1))),
					"k1"))
				.decrypt(otherKeyId, "session:abc:token"));
	}

	@Test
	void afterARotationNewValuesUseTheNewKeyAndOldOnesStillDecrypt() {
		String old = new ValueEncryptor(new StaticKeyProvider(List.of(K1), "k1")).encrypt("v1", "ctx");
		ValueEncryptor rotated = new ValueEncryptor(new StaticKeyProvider(List.of(K1, K2), "k2"));

		assertThat(rotated.decrypt(old, "ctx")).isEqualTo("v1");
		String fresh = rotated.encrypt("v2", "ctx");
		assertThat(fresh).startsWith("rpe1$k2$");
		assertThat(rotated.decrypt(fresh, "ctx")).isEqualTo("v2");
	}

	@Test
	void keysAndTheActiveIdAreValidated() {
		assertThatIllegalArgumentException().isThrownBy(() -> EncryptionKey.aes("k1", new byte[10]))
			.withMessageContaining("128, 192 or 256 bits");
		assertThatIllegalArgumentException().isThrownBy(() -> EncryptionKey.aes("bad$id", new byte[16]))
			.withMessageContaining("bad$id");
		assertThatIllegalArgumentException().isThrownBy(() -> new StaticKeyProvider(List.of(K1), "k9"))
			.withMessageContaining("k9");
		assertThat(K1.toString()).isEqualTo("EncryptionKey[id=k1]");
	}

	static byte[] bytes(int length, int seed) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) (seed * 31 + i);
		}
		return bytes;
	}

}

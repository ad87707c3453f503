package io.redispatterns.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * A throw-away certificate authority and a server certificate it signed for {@code 127.0.0.1} and
 * {@code localhost}, generated at test time with the JDK's {@code keytool} (no other tool or library
 * needed) and written as PEM files that {@code redis-server} reads. Valid for two days.
 */
public final class TlsCertificates {

	private static final String STORE_PASSWORD = "redis-patterns-test";

	private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

	private final Path caCertificate;

	private final Path serverCertificate;

	private final Path serverKey;

	private TlsCertificates(Path caCertificate, Path serverCertificate, Path serverKey) {
		this.caCertificate = caCertificate;
		this.serverCertificate = serverCertificate;
		this.serverKey = serverKey;
	}

	/**
	 * Generates a CA and a server certificate into {@code directory}.
	 * @param directory where the key stores and PEM files are written (created if missing)
	 * @return the certificates
	 */
	public static TlsCertificates generate(Path directory) {
		try {
			Files.createDirectories(directory);
			Path ca = directory.resolve("ca.p12");
			Path server = directory.resolve("server.p12");
			Path caPem = directory.resolve("ca.crt");
			Path csr = directory.resolve("server.csr");
			Path serverPem = directory.resolve("server.crt");
			Path keyPem = directory.resolve("server.key");
			keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
					"-dname", "CN=redis-patterns-test CA", "-ext", "bc:c", "-keystore", ca.toString(), "-storetype",
					"PKCS12", "-storepass", STORE_PASSWORD);
			keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", STORE_PASSWORD,
					"-file", caPem.toString());
			keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
					"-dname", "CN=localhost", "-keystore", server.toString(), "-storetype", "PKCS12", "-storepass",
					STORE_PASSWORD);
			keytool("-certreq", "-alias", "server", "-keystore", server.toString(), "-storepass", STORE_PASSWORD,
					"-file", csr.toString());
			keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", STORE_PASSWORD,
					"-infile", csr.toString(), "-outfile", serverPem.toString(), "-validity", "2", "-ext",
					"san=ip:127.0.0.1,dns:localhost", "-ext", "eku=serverAuth,clientAuth");
			Files.writeString(keyPem, pem("PRIVATE KEY", privateKey(server).getEncoded()), StandardCharsets.US_ASCII);
			return new TlsCertificates(caPem, serverPem, keyPem);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write certificates to " + directory, ex);
		}
	}

	/** PEM file of the CA certificate ({@code tls-ca-cert-file}; what clients trust). */
	public Path caCertificate() {
		return this.caCertificate;
	}

	/** PEM file of the server certificate ({@code tls-cert-file}). */
	public Path serverCertificate() {
		return this.serverCertificate;
	}

	/** PEM file of the server's PKCS#8 private key ({@code tls-key-file}). */
	public Path serverKey() {
		return this.serverKey;
	}

	/** A trust store holding the CA certificate. */
	public KeyStore trustStore() {
		try (InputStream in = Files.newInputStream(this.caCertificate)) {
			Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			store.setCertificateEntry("redis-patterns-test-ca", ca);
			return store;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot read " + this.caCertificate, ex);
		}
	}

	/** A Spring Boot SSL bundle that trusts the CA, for {@code DataRedisConnectionDetails#getSslBundle()}. */
	public SslBundle sslBundle() {
		return SslBundle.of(SslStoreBundle.of(null, null, trustStore()));
	}

	private static Key privateKey(Path keyStore) {
		try (InputStream in = Files.newInputStream(keyStore)) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, STORE_PASSWORD.toCharArray());
			return store.getKey("server", STORE_PASSWORD.toCharArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot read the key from " + keyStore, ex);
		}
	}

	private static String pem(String type, byte[] der) {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
	}

	private static void keytool(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new RedisStartException("keytool " + arguments[0] + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new RedisStartException("Cannot run " + command.get(0), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisStartException("Interrupted while generating certificates", ex);
		}
	}

}

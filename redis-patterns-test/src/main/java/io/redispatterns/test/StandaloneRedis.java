package io.redispatterns.test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * A single {@code redis-server}, started by {@link EmbeddedRedis#standalone()} — or the external server
 * named by {@code REDIS_URL}, which {@link #close()} leaves running.
 */
public final class StandaloneRedis implements RedisDeployment {

	private final RedisNode node;

	/** Name of the SSL bundle {@link #springProperties()} defines for a TLS server. */
	public static final String SSL_BUNDLE = "redis-patterns-test";

	private final @Nullable Path directory;

	private final @Nullable TlsCertificates tls;

	private final int tlsPort;

	private volatile boolean closed;

	private StandaloneRedis(RedisNode node, @Nullable Path directory) {
		this(node, directory, null, 0);
	}

	private StandaloneRedis(RedisNode node, @Nullable Path directory, @Nullable TlsCertificates tls, int tlsPort) {
		this.node = node;
		this.directory = directory;
		this.tls = tls;
		this.tlsPort = tlsPort;
	}

	static StandaloneRedis start(int port) {
		Path directory = LiveProcesses.createDirectory("redis-standalone-");
		try {
			return new StandaloneRedis(RedisNode.start("standalone", RedisNode.Kind.DATA, directory, port, List.of()),
					directory);
		}
		catch (RuntimeException ex) {
			LiveProcesses.deleteDirectory(directory);
			throw ex;
		}
	}

	/**
	 * Starts a server that also accepts TLS connections: {@code tls-port} with a certificate from a
	 * throw-away CA ({@link TlsCertificates}); client certificates are not required. The plain port
	 * stays open for {@link RedisNode#commands} and fault control.
	 */
	static StandaloneRedis startTls() {
		Path directory = LiveProcesses.createDirectory("redis-tls-");
		try {
			TlsCertificates certificates = TlsCertificates.generate(directory.resolve("tls"));
			int tlsPort = FreePorts.next();
			List<String> configuration = List.of("tls-port " + tlsPort,
					"tls-cert-file " + certificates.serverCertificate(), "tls-key-file " + certificates.serverKey(),
					"tls-ca-cert-file " + certificates.caCertificate(), "tls-auth-clients no");
			RedisNode node;
			try {
				node = RedisNode.start("standalone-tls", RedisNode.Kind.DATA, directory, 0, configuration);
			}
			catch (RedisStartException ex) {
				throw new RedisStartException("redis-server " + RedisServerBinary.path()
						+ " did not start with TLS; it may be built without TLS support (BUILD_TLS=yes)", ex);
			}
			return new StandaloneRedis(node, directory, certificates, tlsPort);
		}
		catch (RuntimeException ex) {
			LiveProcesses.deleteDirectory(directory);
			throw ex;
		}
	}

	/**
	 * Starts the development server of an application: its own session (a terminal's Ctrl-C does not
	 * reach it) and, on JVM shutdown, stopped by the application context that owns it rather than
	 * killed at once, so it outlives everything that uses it.
	 */
	static StandaloneRedis startForApplication(int port) {
		StandaloneRedis redis = start(port);
		redis.node.stopsWithOwner();
		return redis;
	}

	static StandaloneRedis external(String url) {
		return new StandaloneRedis(RedisNode.external(url), null);
	}

	/** The server. */
	public RedisNode node() {
		return this.node;
	}

	/** Whether the server accepts TLS connections ({@link EmbeddedRedis#standaloneTls()}). */
	public boolean isTls() {
		return this.tls != null;
	}

	/**
	 * The port that accepts TLS connections.
	 * @throws IllegalStateException when the server was not started with TLS
	 */
	public int tlsPort() {
		requireTls();
		return this.tlsPort;
	}

	/**
	 * The certificates of a TLS server.
	 * @throws IllegalStateException when the server was not started with TLS
	 */
	public TlsCertificates tlsCertificates() {
		return requireTls();
	}

	/** The {@code rediss://} URL of a TLS server (clients must trust {@link TlsCertificates#caCertificate()}). */
	public String tlsUrl() {
		requireTls();
		return "rediss://" + this.node.host() + ":" + this.tlsPort;
	}

	private TlsCertificates requireTls() {
		TlsCertificates certificates = this.tls;
		if (certificates == null) {
			throw new IllegalStateException(this + " was not started with TLS; use EmbeddedRedis.standaloneTls()");
		}
		return certificates;
	}

	@Override
	public RedisTopology topology() {
		return RedisTopology.STANDALONE;
	}

	@Override
	public DataRedisConnectionDetails connectionDetails() {
		if (this.tls != null) {
			return ConnectionDetailsFactory.standaloneTls(this.node.host(), this.tlsPort, this.tls.sslBundle());
		}
		return ConnectionDetailsFactory.standalone(this.node.redisUri(), this.node.externalUrl());
	}

	@Override
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		if (this.tls != null) {
			properties.put("spring.data.redis.host", this.node.host());
			properties.put("spring.data.redis.port", Integer.toString(this.tlsPort));
			properties.put("spring.data.redis.ssl.bundle", SSL_BUNDLE);
			properties.put("spring.ssl.bundle.pem." + SSL_BUNDLE + ".truststore.certificate",
					this.tls.caCertificate().toUri().toString());
			return properties;
		}
		if (this.node.isExternal()) {
			properties.put("spring.data.redis.url", this.node.uri());
		}
		else {
			properties.put("spring.data.redis.host", this.node.host());
			properties.put("spring.data.redis.port", Integer.toString(this.node.port()));
		}
		return properties;
	}

	@Override
	public List<RedisNode> dataNodes() {
		return List.of(this.node);
	}

	@Override
	public void flushAll() {
		this.node.commands((commands) -> commands.flushall());
	}

	@Override
	public boolean isClosed() {
		return this.closed;
	}

	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.directory != null) {
			this.node.stop();
			LiveProcesses.deleteDirectory(this.directory);
		}
	}

	@Override
	public String toString() {
		return "StandaloneRedis[" + this.node.uri() + ((this.tls != null) ? ", tls-port " + this.tlsPort : "") + "]";
	}

}

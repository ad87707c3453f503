package io.redispatterns.transaction.internal;

import java.time.Duration;
import java.util.Optional;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.resource.ClientResources;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisSocketConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.RedisCredentialsProviderFactory;

/**
 * Builds the Lettuce client that transaction connections come from: the application's connection
 * factory's configuration (Standalone, Sentinel, Cluster or socket; address, credentials, TLS,
 * database, client name, timeouts) and its {@link ClientResources}, with auto-reconnect off and
 * commands rejected while disconnected.
 * <p>
 * Why a client of its own: Lettuce re-sends the commands that were unanswered when a connection
 * dropped on the new connection, and it fixes that per client, at construction. The server forgets
 * {@code WATCH} and {@code MULTI} with the old connection, so a re-sent read would let the
 * transaction commit without its watch, and a re-sent queued write (or {@code EXEC}) would run
 * outside any transaction. A transaction's connection that drops must fail instead, and the
 * transaction reports what it knows.
 */
final class NonReconnectingClients {

	private NonReconnectingClients() {
	}

	/**
	 * Creates and starts a connection factory like {@code application} whose client never reconnects.
	 * @param application the application's connection factory
	 * @return the started factory, to be destroyed by the caller
	 */
	static LettuceConnectionFactory create(LettuceConnectionFactory application) {
		AbstractRedisClient applicationClient = application.getRequiredNativeClient();
		LettuceClientConfiguration configuration = new NonReconnectingConfiguration(
				application.getClientConfiguration(), applicationClient.getResources(),
				nonReconnecting(applicationClient.getOptions()));
		LettuceConnectionFactory factory = new LettuceConnectionFactory(redisConfiguration(application),
				configuration);
		factory.afterPropertiesSet();
		if (!factory.isRunning()) {
			factory.start();
		}
		return factory;
	}

	static ClientOptions nonReconnecting(ClientOptions options) {
		if (options instanceof ClusterClientOptions cluster) {
			return cluster.mutate()
				.autoReconnect(false)
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.build();
		}
		return options.mutate()
			.autoReconnect(false)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build();
	}

	private static RedisConfiguration redisConfiguration(LettuceConnectionFactory application) {
		RedisClusterConfiguration cluster = application.getClusterConfiguration();
		if (application.isClusterAware() && cluster != null) {
			return cluster;
		}
		RedisSentinelConfiguration sentinel = application.getSentinelConfiguration();
		if (application.isRedisSentinelAware() && sentinel != null) {
			return sentinel;
		}
		RedisSocketConfiguration socket = application.getSocketConfiguration();
		// a static master/replica factory exposes no configuration: the auto-configuration refuses that setup
		return (socket != null) ? socket : application.getStandaloneConfiguration();
	}

	/** The application's client configuration with other client options and shared resources. */
	private record NonReconnectingConfiguration(LettuceClientConfiguration application, ClientResources resources,
			ClientOptions options) implements LettuceClientConfiguration {

		@Override
		public boolean isUseSsl() {
			return this.application.isUseSsl();
		}

		@Override
		public boolean isVerifyPeer() {
			return this.application.isVerifyPeer();
		}

		@Override
		public SslVerifyMode getVerifyMode() {
			return this.application.getVerifyMode();
		}

		@Override
		public boolean isStartTls() {
			return this.application.isStartTls();
		}

		@Override
		public Optional<ClientResources> getClientResources() {
			return Optional.of(this.resources);
		}

		@Override
		public Optional<ClientOptions> getClientOptions() {
			return Optional.of(this.options);
		}

		@Override
		public Optional<String> getClientName() {
			return this.application.getClientName();
		}

		@Override
		public Optional<ReadFrom> getReadFrom() {
			return this.application.getReadFrom();
		}

		@Override
		public Optional<RedisCredentialsProviderFactory> getRedisCredentialsProviderFactory() {
			return this.application.getRedisCredentialsProviderFactory();
		}

		@Override
		public Duration getCommandTimeout() {
			return this.application.getCommandTimeout();
		}

		@Override
		public Duration getShutdownTimeout() {
			return this.application.getShutdownTimeout();
		}

		@Override
		public Duration getShutdownQuietPeriod() {
			return this.application.getShutdownQuietPeriod();
		}

	}

}

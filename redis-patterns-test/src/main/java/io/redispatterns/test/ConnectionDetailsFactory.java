package io.redispatterns.test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Cluster;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Node;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Sentinel;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Standalone;
import org.springframework.boot.ssl.SslBundle;

/**
 * Builds the {@link DataRedisConnectionDetails} of each topology.
 */
final class ConnectionDetailsFactory {

	private ConnectionDetailsFactory() {
	}

	static DataRedisConnectionDetails standalone(RedisURI uri, @Nullable String url) {
		String userInfo = (url != null) ? URI.create(url).getRawUserInfo() : null;
		String username = null;
		String password = null;
		if (userInfo != null) {
			int colon = userInfo.indexOf(':');
			username = (colon > 0) ? decode(userInfo.substring(0, colon)) : (colon < 0) ? decode(userInfo) : null;
			password = (colon >= 0) ? decode(userInfo.substring(colon + 1)) : null;
			if (colon < 0) {
				password = username;
				username = null;
			}
		}
		String finalUsername = username;
		String finalPassword = password;
		Standalone standalone = Standalone.of(uri.getHost(), uri.getPort(), uri.getDatabase());
		return new DataRedisConnectionDetails() {

			@Override
			public @Nullable String getUsername() {
				return finalUsername;
			}

			@Override
			public @Nullable String getPassword() {
				return finalPassword;
			}

			@Override
			public Standalone getStandalone() {
				return standalone;
			}

			@Override
			public String toString() {
				return "DataRedisConnectionDetails[standalone " + uri.getHost() + ":" + uri.getPort() + "]";
			}

		};
	}

	static DataRedisConnectionDetails standaloneTls(String host, int port, SslBundle sslBundle) {
		Standalone standalone = Standalone.of(host, port);
		return new DataRedisConnectionDetails() {

			@Override
			public SslBundle getSslBundle() {
				return sslBundle;
			}

			@Override
			public Standalone getStandalone() {
				return standalone;
			}

			@Override
			public String toString() {
				return "DataRedisConnectionDetails[standalone TLS " + host + ":" + port + "]";
			}

		};
	}

	static DataRedisConnectionDetails sentinel(String masterName, List<Node> sentinels) {
		Sentinel sentinel = new Sentinel() {

			@Override
			public int getDatabase() {
				return 0;
			}

			@Override
			public String getMaster() {
				return masterName;
			}

			@Override
			public List<Node> getNodes() {
				return sentinels;
			}

			@Override
			public @Nullable String getUsername() {
				return null;
			}

			@Override
			public @Nullable String getPassword() {
				return null;
			}

		};
		return new DataRedisConnectionDetails() {

			@Override
			public Sentinel getSentinel() {
				return sentinel;
			}

			@Override
			public String toString() {
				return "DataRedisConnectionDetails[sentinel " + masterName + " " + sentinels + "]";
			}

		};
	}

	static DataRedisConnectionDetails cluster(List<Node> nodes) {
		Cluster cluster = () -> nodes;
		return new DataRedisConnectionDetails() {

			@Override
			public Cluster getCluster() {
				return cluster;
			}

			@Override
			public String toString() {
				return "DataRedisConnectionDetails[cluster " + nodes + "]";
			}

		};
	}

	private static String decode(String part) {
		return URLDecoder.decode(part, StandardCharsets.UTF_8);
	}

	static Node node(RedisNode node) {
		return new Node(node.host(), node.port());
	}

	static String hostsAndPorts(List<RedisNode> nodes) {
		return String.join(",", nodes.stream().map((node) -> node.host() + ":" + node.port()).toList());
	}

}

package io.redispatterns.session.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the redis-patterns session repository. The idle timeout, flush mode and save mode
 * stay Spring Boot's: {@code spring.session.timeout}, {@code spring.session.data.redis.flush-mode}
 * and {@code spring.session.data.redis.save-mode}; cookie attributes stay
 * {@code server.servlet.session.cookie.*}.
 */
@ConfigurationProperties("redis-patterns.session")
public class RedisPatternsSessionProperties {

	/**
	 * Whether redis-patterns provides the Spring Session repository when spring-session-data-redis is
	 * on the classpath.
	 */
	private boolean enabled = true;

	/**
	 * Most sessions one principal may hold at once; when a login goes over it, the least recently
	 * used sessions are revoked. Unset means unlimited (0, the former marker, still does).
	 */
	private @Nullable Integer maxPerUser;

	/**
	 * Lifetime after which a session ends however active it is. Unset means sessions end only by
	 * idling, logout or revocation.
	 */
	private @Nullable Duration absoluteTimeout;

	/**
	 * Least time between two writes of a session that only record a new last-access time. A
	 * session may end up to this long before its idle timeout after its last request.
	 */
	private Duration touchInterval = Duration.ofMinutes(1);

	/**
	 * Classes (such as "com.example.Cart") or packages (ending in '.' or '.*') allowed as session
	 * attribute values, besides common JDK types and Spring Security's types.
	 */
	private List<String> allowedTypes = new ArrayList<>();

	/**
	 * IP addresses or CIDR blocks (such as 10.0.0.0/8) of proxies whose Forwarded and
	 * X-Forwarded-For headers are trusted to carry the client IP recorded at login. Usually the same
	 * list as redis-patterns.rate-limit.trusted-proxies. Empty trusts no proxy: the connection's
	 * address is recorded.
	 */
	private List<String> trustedProxies = new ArrayList<>();

	/**
	 * Names of session attributes (such as SPRING_SECURITY_CONTEXT) stored encrypted with AES-GCM, with
	 * the keys of redis-patterns.encryption. A stored value that does not decrypt is dropped from the
	 * session, counted and logged.
	 */
	private List<String> encryptedAttributes = new ArrayList<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Integer getMaxPerUser() {
		return this.maxPerUser;
	}

	public void setMaxPerUser(@Nullable Integer maxPerUser) {
		this.maxPerUser = maxPerUser;
	}

	public @Nullable Duration getAbsoluteTimeout() {
		return this.absoluteTimeout;
	}

	public void setAbsoluteTimeout(@Nullable Duration absoluteTimeout) {
		this.absoluteTimeout = absoluteTimeout;
	}

	public Duration getTouchInterval() {
		return this.touchInterval;
	}

	public void setTouchInterval(Duration touchInterval) {
		this.touchInterval = touchInterval;
	}

	public List<String> getAllowedTypes() {
		return this.allowedTypes;
	}

	public void setAllowedTypes(List<String> allowedTypes) {
		this.allowedTypes = allowedTypes;
	}

	public List<String> getTrustedProxies() {
		return this.trustedProxies;
	}

	public void setTrustedProxies(List<String> trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	public List<String> getEncryptedAttributes() {
		return this.encryptedAttributes;
	}

	public void setEncryptedAttributes(List<String> encryptedAttributes) {
		this.encryptedAttributes = encryptedAttributes;
	}

}

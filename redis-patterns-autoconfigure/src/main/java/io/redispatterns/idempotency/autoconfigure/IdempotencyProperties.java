package io.redispatterns.idempotency.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.redispatterns.core.autoconfigure.DeprecatedPropertyNames;
import io.redispatterns.idempotency.IdempotencyFailureMode;
import io.redispatterns.idempotency.IdempotencySettings;
import io.redispatterns.idempotency.MissingKeyBehavior;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Settings of idempotent requests ({@code @Idempotent} on Spring MVC handlers).
 */
@ConfigurationProperties("redis-patterns.idempotency")
public class IdempotencyProperties {

	/**
	 * Whether @Idempotent handlers are honoured.
	 */
	private boolean enabled = true;

	/**
	 * Request header that carries the idempotency key.
	 */
	private String headerName = "Idempotency-Key";

	/**
	 * How long a completed response is kept and replayed to retries with the same key, counted
	 * from its completion; @Idempotent(window) overrides it per handler.
	 */
	private Duration window = Duration.ofHours(24);

	/**
	 * Lease of the in-progress marker of a request, renewed every third of it while the request
	 * runs; when the instance dies mid-request the key is free again after at most this long.
	 */
	private Duration lease = Duration.ofSeconds(30);

	/**
	 * How long a retry waits for a still-running first request with the same key before it is
	 * answered 409 (0 to answer 409 at once).
	 */
	private Duration inProgressWait = Duration.ofSeconds(5);

	/**
	 * Largest response body that is stored; a larger body is not kept and replays carry the
	 * stored status and headers with an empty body and 'Idempotent-Body-Omitted: true'.
	 */
	private DataSize maxBodySize = DataSize.ofKilobytes(64);

	/**
	 * What a request to an @Idempotent handler without the header gets: 'process' (runs normally,
	 * unprotected) or 'reject' (400 problem); @Idempotent(missingKey) overrides it per handler.
	 */
	private MissingKeyBehavior missingKey = MissingKeyBehavior.PROCESS;

	/**
	 * What happens when Redis cannot claim the key: 'fail-closed' (503 problem with Retry-After,
	 * the handler does not run) or 'fail-open' (the handler runs without protection; logged and
	 * counted).
	 */
	private IdempotencyFailureMode failureMode = IdempotencyFailureMode.FAIL_CLOSED;

	/**
	 * Response headers stored and replayed besides Content-Type. Never add Set-Cookie or other
	 * per-client headers: a replay repeats them.
	 */
	private List<String> responseHeaders = new ArrayList<>(IdempotencySettings.DEFAULT_RESPONSE_HEADERS);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getHeaderName() {
		return this.headerName;
	}

	public void setHeaderName(String headerName) {
		this.headerName = headerName;
	}

	public Duration getWindow() {
		return this.window;
	}

	public void setWindow(Duration window) {
		this.window = window;
	}

	/**
	 * How long a completed response is kept and replayed.
	 * @return the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code window}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "redis-patterns.idempotency.window", since = "0.1.0")
	public Duration getTtl() {
		return this.window;
	}

	/**
	 * Sets the value of {@code ttl}.
	 * @param ttl the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code window}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setTtl(Duration ttl) {
		DeprecatedPropertyNames.warn("redis-patterns.idempotency.ttl", "redis-patterns.idempotency.window");
		this.window = ttl;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = lease;
	}

	public Duration getInProgressWait() {
		return this.inProgressWait;
	}

	public void setInProgressWait(Duration inProgressWait) {
		this.inProgressWait = inProgressWait;
	}

	public DataSize getMaxBodySize() {
		return this.maxBodySize;
	}

	public void setMaxBodySize(DataSize maxBodySize) {
		this.maxBodySize = maxBodySize;
	}

	public MissingKeyBehavior getMissingKey() {
		return this.missingKey;
	}

	public void setMissingKey(MissingKeyBehavior missingKey) {
		this.missingKey = missingKey;
	}

	public IdempotencyFailureMode getFailureMode() {
		return this.failureMode;
	}

	public void setFailureMode(IdempotencyFailureMode failureMode) {
		this.failureMode = failureMode;
	}

	public List<String> getResponseHeaders() {
		return this.responseHeaders;
	}

	public void setResponseHeaders(List<String> responseHeaders) {
		this.responseHeaders = responseHeaders;
	}

}

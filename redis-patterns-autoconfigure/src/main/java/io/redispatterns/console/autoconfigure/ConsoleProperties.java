package io.redispatterns.console.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the operator console.
 */
@ConfigurationProperties("redis-patterns.console")
public class ConsoleProperties {

	/**
	 * Whether the operator console is served (a servlet web application is needed).
	 */
	private boolean enabled;

	/**
	 * Path of the console, such as '/redis-patterns' (no trailing slash).
	 */
	private String path = "/redis-patterns";

	/**
	 * Whether the console may change anything (retry, purge, pause, replay, evict, revoke); when
	 * false no action form is shown and every action is refused.
	 */
	private boolean actionsEnabled;

	/**
	 * Authority a user needs to use the console when Spring Security is present, such as
	 * 'ROLE_OPS'; empty lets any authenticated user in.
	 */
	private String requiredAuthority = "ROLE_REDIS_PATTERNS_CONSOLE";

	/**
	 * Queues shown besides those this application's job handlers work on (such as queues it only
	 * enqueues to).
	 */
	private List<String> queues = new ArrayList<>();

	/**
	 * Items per page (jobs, stream entries, cache entries).
	 */
	private int pageSize = 50;

	/**
	 * Most keys one cache page scans for its sample of entries and tags.
	 */
	private int sampleLimit = 1000;

	/**
	 * Window of the recent counts (completed jobs, rate-limit decisions) read from the meters.
	 */
	private Duration recentWindow = Duration.ofMinutes(5);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public boolean isActionsEnabled() {
		return this.actionsEnabled;
	}

	public void setActionsEnabled(boolean actionsEnabled) {
		this.actionsEnabled = actionsEnabled;
	}

	public String getRequiredAuthority() {
		return this.requiredAuthority;
	}

	public void setRequiredAuthority(String requiredAuthority) {
		this.requiredAuthority = requiredAuthority;
	}

	public List<String> getQueues() {
		return this.queues;
	}

	public void setQueues(List<String> queues) {
		this.queues = queues;
	}

	public int getPageSize() {
		return this.pageSize;
	}

	public void setPageSize(int pageSize) {
		this.pageSize = pageSize;
	}

	public int getSampleLimit() {
		return this.sampleLimit;
	}

	public void setSampleLimit(int sampleLimit) {
		this.sampleLimit = sampleLimit;
	}

	public Duration getRecentWindow() {
		return this.recentWindow;
	}

	public void setRecentWindow(Duration recentWindow) {
		this.recentWindow = recentWindow;
	}

}

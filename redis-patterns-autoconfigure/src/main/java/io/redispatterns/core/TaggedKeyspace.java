package io.redispatterns.core;

/**
 * The keys of the named things of one pattern (a job queue, a write-behind buffer) whose keys a script touches
 * together: every key of a name is {@code <prefix>:<pattern>:{<name>}:<suffix>}, so all of them share the name's
 * hash tag (one Cluster slot per name; names spread over slots).
 */
public final class TaggedKeyspace {

	private final String namespace;

	/**
	 * Creates the keyspace of a pattern.
	 * @param keys the application's key builder
	 * @param pattern the pattern's short name, such as {@code queue}
	 */
	public TaggedKeyspace(RedisKeys keys, String pattern) {
		this.namespace = keys.namespace(pattern);
	}

	/**
	 * Returns the start of every key of a name, {@code <prefix>:<pattern>:{<name>}}.
	 * @param name the name, escaped here
	 * @return the base key
	 */
	public String base(String name) {
		return this.namespace + "{" + RedisKeys.escape(name) + "}";
	}

	/**
	 * Returns one key of a name, {@code <prefix>:<pattern>:{<name>}:<suffix>}.
	 * @param name the name, escaped here
	 * @param suffix the key's suffix, used as it is
	 * @return the key
	 */
	public String key(String name, String suffix) {
		return base(name) + ":" + suffix;
	}

}

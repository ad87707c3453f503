package io.redispatterns.cache.internal;

import org.jspecify.annotations.Nullable;

/**
 * The stored form of one cache entry: {@code rp1|<soft expiry, epoch ms>|<compute ms>|<V or N>|<json>}.
 * The header lets a reader tell fresh from stale and run XFetch without another command; {@code N}
 * marks a cached {@code null} (the JSON part is then empty).
 */
record CacheEntry(long softExpiryMillis, long computeMillis, boolean isNull, String json) {

	private static final String MAGIC = "rp1|";

	String encode() {
		return MAGIC + this.softExpiryMillis + '|' + this.computeMillis + '|' + (this.isNull ? 'N' : 'V') + '|'
				+ this.json;
	}

	/**
	 * Parses a stored entry.
	 * @return the entry, or {@code null} when the text is not an entry of this format
	 */
	static @Nullable CacheEntry parse(String raw) {
		if (!raw.startsWith(MAGIC)) {
			return null;
		}
		int first = raw.indexOf('|', MAGIC.length());
		int second = (first > 0) ? raw.indexOf('|', first + 1) : -1;
		if (second < 0 || raw.length() < second + 3 || raw.charAt(second + 2) != '|') {
			return null;
		}
		try {
			long soft = Long.parseLong(raw, MAGIC.length(), first, 10);
			long compute = Long.parseLong(raw, first + 1, second, 10);
			char kind = raw.charAt(second + 1);
			if (kind != 'V' && kind != 'N') {
				return null;
			}
			return new CacheEntry(soft, compute, kind == 'N', raw.substring(second + 3));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}

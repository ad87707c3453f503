package io.redispatterns.console.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.console.ConsoleAction;
import io.redispatterns.console.ConsoleActionResult;
import io.redispatterns.console.ConsoleMetrics;
import io.redispatterns.console.ConsolePage;
import io.redispatterns.console.ConsoleRequestException;
import io.redispatterns.console.ConsoleSection;
import io.redispatterns.console.Html;
import io.redispatterns.core.RedisKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The caches page: each cache's hit ratio, loads and stampede waits; a cache's configuration and a
 * bounded sample of its entries and tags (a {@code SCAN} of its namespace, stopped at
 * {@code sampleLimit} keys). Actions: evict one key, evict every entry of a tag.
 */
public final class CachesSection implements ConsoleSection {

	private static final String ENTRY_END = "}";

	private static final String TAG_END = "}:tags";

	private final RedisCacheTemplate template;

	private final RedisKeys keys;

	private final StringRedisTemplate redis;

	private final ConsoleMetrics metrics;

	private final int pageSize;

	private final int sampleLimit;

	/**
	 * Creates the section.
	 * @param template the cache template
	 * @param keys the key builder
	 * @param redis the template used to sample keys
	 * @param metrics loader and stampede-wait counts
	 * @param pageSize sampled entries shown
	 * @param sampleLimit most keys a sample reads
	 */
	public CachesSection(RedisCacheTemplate template, RedisKeys keys, StringRedisTemplate redis, ConsoleMetrics metrics,
			int pageSize, int sampleLimit) {
		this.template = template;
		this.keys = keys;
		this.redis = redis;
		this.metrics = metrics;
		this.pageSize = pageSize;
		this.sampleLimit = sampleLimit;
	}

	@Override
	public String id() {
		return "caches";
	}

	@Override
	public String title() {
		return "Caches";
	}

	@Override
	public int order() {
		return 50;
	}

	@Override
	public void render(ConsolePage page) {
		if (page.path().isEmpty()) {
			renderCaches(page);
		}
		else if (page.path().size() == 1) {
			renderCache(page, known(page.path().get(0)));
		}
		else {
			throw new ConsoleRequestException(404, "No such cache page");
		}
	}

	@SuppressWarnings("unchecked")
	private void renderCaches(ConsolePage page) {
		Html html = page.heading("Caches");
		Map<String, Object> description = this.template.describe();
		html.open("p").text("Circuit breaker: " + description.get("circuitBreaker")).close("p");
		Map<String, Object> caches = (Map<String, Object>) description.get("caches");
		if (caches == null || caches.isEmpty()) {
			html.element("p", "No cache has been used yet.", "class", "muted");
			return;
		}
		Map<List<String>, ConsoleMetrics.Counts> waits = this.metrics.counts("redis.patterns.cache.lock.waits", "cache");
		html.table("Caches (counts since this instance started)", "Cache", "Hit ratio", "Hits", "Stale hits", "Misses",
				"Loads", "Stampede waits", "Errors", "TTL");
		caches.forEach((name, value) -> {
			Map<String, Object> cache = (Map<String, Object>) value;
			ConsoleMetrics.Counts wait = waits.get(List.of(name));
			html.open("tr").open("td").link(page.url(name), name).close("td");
			html.element("td", percent(cache.get("hitRatio")), "class", "num");
			html.element("td", cache.get("hits"), "class", "num");
			html.element("td", cache.get("stale"), "class", "num");
			html.element("td", cache.get("misses"), "class", "num");
			html.element("td", cache.get("loads"), "class", "num");
			html.element("td", (wait != null) ? wait.total() : "–", "class", "num");
			html.element("td", cache.get("errors"), "class", "num");
			html.element("td", cache.get("ttl"));
			html.close("tr");
		});
		html.endTable();
	}

	private void renderCache(ConsolePage page, String cache) {
		Html html = page.heading("Cache " + cache);
		html.open("p").link(page.url(), "Back to caches").close("p");
		html.open("dl")
			.entry("TTL", this.template.settings(cache).ttl())
			.entry("Stale while revalidate", this.template.settings(cache).staleWhileRevalidate())
			.close("dl");
		html.open("form", "method", "get", "action", page.url(cache), "class", "inline");
		html.element("label", "Key starts with", "for", "key-prefix");
		html.open("input", "type", "search", "id", "key-prefix", "name", "prefix", "value", page.param("prefix"));
		html.element("button", "Filter", "type", "submit").close("form");
		if (page.actionsEnabled()) {
			evictForm(page, cache, "evict", "key", "Key", "Evict key");
			evictForm(page, cache, "evict-tag", "tag", "Tag", "Evict tag");
		}
		String namespace = this.keys.namespace("cache", cache);
		String prefix = page.param("prefix");
		String pattern = namespace + "{" + ((prefix != null) ? globSafe(RedisKeys.escape(cache + ":" + prefix)) + "*"
				: globSafe(RedisKeys.escape(cache + ":")) + "*");
		KeySample.Result sample = KeySample.scan(this.redis, pattern, this.sampleLimit);
		List<String> entries = new ArrayList<>();
		List<String> tags = new ArrayList<>();
		int loading = 0;
		for (String key : sample.keys()) {
			String tail = key.substring(namespace.length());
			String entry = KeySample.unescape(tail.substring(1, Math.max(1, tail.length() - 1)));
			if (tail.startsWith("{") && tail.endsWith(ENTRY_END) && entry.startsWith(cache + ":")) {
				entries.add(entry.substring(cache.length() + 1));
			}
			else if (tail.endsWith(":loader")) {
				loading++;
			}
		}
		KeySample.Result tagSample = KeySample.scan(this.redis, namespace + "*" + TAG_END, this.sampleLimit);
		for (String key : tagSample.keys()) {
			String tail = key.substring(namespace.length());
			tags.add(KeySample.unescape(tail.substring(1, tail.length() - TAG_END.length())));
		}
		html.element("h2", "Entries");
		html.element("p", (sample.truncated() ? "At least " : "") + entries.size() + " entries" + " and " + loading
				+ " loads in progress found by a scan of at most " + this.sampleLimit + " keys.");
		if (!entries.isEmpty()) {
			entries.sort(null);
			html.table("Sampled entries (first " + Math.min(this.pageSize, entries.size()) + ")", "Key",
					"Remaining TTL", "Actions");
			for (String entry : entries.subList(0, Math.min(this.pageSize, entries.size()))) {
				Long ttl = this.redis.getExpire(namespace + "{" + RedisKeys.escape(cache + ":" + entry) + "}",
						java.util.concurrent.TimeUnit.MILLISECONDS);
				html.open("tr").element("td", entry).element("td", (ttl != null) ? Html.millis(ttl) : "–").open("td");
				page.actionForm("evict", "Evict " + entry, null, "cache", cache, "key", entry);
				html.close("td").close("tr");
			}
			html.endTable();
		}
		html.element("h2", "Tags");
		if (tags.isEmpty()) {
			html.element("p", "No tag found.", "class", "muted");
		}
		else {
			tags.sort(null);
			html.table("Sampled tags", "Tag", "Actions");
			for (String tag : tags.subList(0, Math.min(this.pageSize, tags.size()))) {
				html.open("tr").element("td", tag).open("td");
				page.actionForm("evict-tag", "Evict tag " + tag, "Evict every entry tagged " + tag + " in " + cache + "?",
						"cache", cache, "tag", tag);
				html.close("td").close("tr");
			}
			html.endTable();
		}
	}

	private void evictForm(ConsolePage page, String cache, String action, String field, String label, String button) {
		// a free-text form: the operator types the key or tag (the page's hidden fields carry the tokens)
		Html html = page.html();
		html.open("form", "method", "post", "action", page.url("actions", action), "class", "action");
		page.tokenFields().forEach((token) -> html.open("input", "type", "hidden", "name", token.getKey(), "value",
				token.getValue()));
		html.open("input", "type", "hidden", "name", "cache", "value", cache);
		String id = action + "-" + field;
		html.element("label", label, "for", id);
		html.open("input", "type", "text", "id", id, "name", field, "required", "required");
		html.element("button", button, "type", "submit").close("form");
	}

	@Override
	public ConsoleActionResult act(ConsoleAction action) {
		String cache = known(action.require("cache"));
		return switch (action.name()) {
			case "evict" -> {
				String key = action.require("key");
				this.template.evict(cache, key);
				yield ConsoleActionResult.of("Evicted key " + key + " from " + cache, cache);
			}
			case "evict-tag" -> {
				String tag = action.require("tag");
				long evicted = this.template.evictTags(cache, List.of(tag));
				yield ConsoleActionResult.of("Evicted " + evicted + " entries tagged " + tag + " from " + cache, cache);
			}
			default -> throw new ConsoleRequestException(404, "No cache action '" + action.name() + "'");
		};
	}

	private String known(String cache) {
		if (!this.template.cacheNames().contains(cache)) {
			throw new ConsoleRequestException(404, "No cache '" + cache + "' in this application");
		}
		return cache;
	}

	/** Escaped parts contain no glob character but these may still appear literally. */
	private static String globSafe(String part) {
		return part.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?").replace("[", "\\[");
	}

	private static String percent(@Nullable Object ratio) {
		return (ratio instanceof Number number) ? String.format(java.util.Locale.ROOT, "%.1f %%",
				number.doubleValue() * 100) : "–";
	}

}

package io.redispatterns.sample.readme;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.CacheWriteThrough;
import io.redispatterns.core.ClientAddressResolver;
import io.redispatterns.keyspace.KeyspaceAnalyzer;
import io.redispatterns.leaderboard.Leaderboard;
import io.redispatterns.leaderboard.Leaderboards;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.pubsub.PubSubPublisher;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.responsecache.HttpResponseCache;
import io.redispatterns.session.UserSessions;
import io.redispatterns.stream.StreamPublisher;
import io.redispatterns.writebehind.WriteBehind;
import io.redispatterns.writebehind.WriteBehinds;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * What the README's Java snippets take from the reader's application: its own types (a
 * {@code Product}, a repository, event payloads) and the beans a snippet is shown using
 * ({@code caches}, {@code locks}, ...), declared with the library's real types. Every fragment
 * of a snippet is compiled inside a class that extends this one, so a snippet compiles only if
 * it uses the library's API as it is. Nothing here is run.
 */
@SuppressWarnings("NullAway")
public abstract class ReadmeWorld {

	// beans of the library, under the names the README uses

	protected CacheTemplate caches;

	protected HttpResponseCache responses;

	protected RateLimiter rateLimiter;

	protected ClientAddressResolver clientAddresses;

	protected LockTemplate locks;

	protected StreamPublisher streamPublisher;

	protected PubSubPublisher pubSubPublisher;

	protected JobQueues jobs;

	protected UserSessions userSessions;

	protected KeyspaceAnalyzer analyzer;

	protected CacheWriteThrough writeThrough;

	protected WriteBehinds writeBehinds;

	protected WriteBehind<Price> prices;

	protected Leaderboards leaderboards;

	protected Leaderboard quiz;

	protected Leaderboard cup;

	// the application's own beans and values

	protected ProductRepository repository;

	protected ProductService products;

	protected ReservationStore store;

	protected Alerts alerts;

	protected HttpSecurity http;

	protected HandlerExceptionResolver handlerExceptionResolver;

	protected HandlerExceptionResolver exceptionResolver;

	protected static RequestMatcher POST_LOGIN;

	protected List<Long> ids;

	protected Map<Long, Product> productsById;

	protected String sku;

	protected Product product;

	protected Order order;

	protected SendEmail payload;

	protected long userId;

	protected long id;

	protected String requestId;

	protected Jdbc jdbc;

	/**
	 * Stands for code a snippet leaves out ({@code ...}).
	 * @return never returns normally in a run; only compiled
	 */
	protected static RuntimeException elided() {
		return new UnsupportedOperationException("elided in the README");
	}

	/** The reader's product. */
	public record Product(long id, String name) {
		public Product() {
			this(0, "");
		}
	}

	/** The reader's repository. */
	public interface ProductRepository {

		List<Product> page(String category, int page);

		Map<Long, Product> findAllById(Collection<? extends Long> ids);

		Product save(Product product);

	}

	/** The reader's service. */
	public interface ProductService {

		Product update(long id, ProductUpdate update);

	}

	/** The reader's reservation store (fenced writes). */
	public interface ReservationStore {

		Reservation reserve(String sku, long fencingToken);

	}

	/** The reader's alerting. */
	public interface Alerts {

		void warn(String message);

	}

	/** The reader's order. */
	public record Order(String id) {
		public Order() {
			this("");
		}
	}

	public record ProductUpdate(String name) {
		public ProductUpdate() {
			this("");
		}
	}

	public record Price(String sku, long cents) {
		public Price() {
			this("", 0);
		}
	}

	/** The reader's SQL access (JdbcTemplate-like). */
	public interface Jdbc {

		int update(String sql, Object... args);

	}

	/** The reader's secret store client. */
	public interface Vault {

		byte[] read(String path);

	}

	public record Dashboard() {
	}

	public record Report() {
	}

	public record User(String id) {
		public User() {
			this("");
		}
	}

	public record Reservation() {
	}

	public record NewOrder() {
	}

	public record OrderPlaced() {
	}

	public record Notification() {
	}

	public record AuditEvent() {
	}

	public record SendEmail(String to, String subject) {
		public SendEmail() {
			this("", "");
		}
	}

	public record Digest() {
	}

	public record Quote() {
	}

	public record Receipt() {
	}

}

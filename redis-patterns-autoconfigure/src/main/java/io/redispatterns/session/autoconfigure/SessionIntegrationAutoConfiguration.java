package io.redispatterns.session.autoconfigure;

import io.redispatterns.core.ClientAddressResolver;
import io.redispatterns.session.UserSessions;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.session.internal.RedisUserSessions;
import io.redispatterns.session.internal.SessionClientFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.session.autoconfigure.DefaultCookieSerializerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.annotation.web.http.SpringHttpSessionConfiguration;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;
import org.springframework.session.web.http.HttpSessionIdResolver;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * Wires the session repository into the rest of the application, once
 * {@link RedisPatternsSessionAutoConfiguration} has decided which repository there is:
 * <ul>
 * <li>{@link UserSessions} over a {@link RedisPatternsSessionRepository};</li>
 * <li>in a servlet application, Spring Session's own {@link SpringHttpSessionConfiguration} for the
 * {@link SessionRepositoryFilter} (unless one exists; Spring Boot's {@code spring-boot-session}
 * module then registers it, builds the cookie serializer from {@code server.servlet.session.cookie.*}
 * and offers the Actuator {@code sessions} endpoint), a {@link SessionClientFilter} that records each
 * login's client address (through a {@link ClientAddressResolver} trusting
 * {@code redis-patterns.session.trusted-proxies}) and user agent, and the session cookie serializer: built from
 * {@code server.servlet.session.cookie.*} like Spring Boot's, but with the same defaults in embedded
 * and WAR deployments ({@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} when the request came
 * over TLS), whatever the servlet container's own session cookie configuration says;</li>
 * <li>with Spring Security, a {@link SessionRegistry} over the repository, which Spring Security's
 * {@code maximumSessions(..)} picks up, so concurrent-session control works across instances;</li>
 * <li>with Actuator, the session section of the {@code redispatterns} endpoint.</li>
 * </ul>
 */
@AutoConfiguration(after = RedisPatternsSessionAutoConfiguration.class,
		beforeName = { "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
				"org.springframework.boot.session.autoconfigure.SessionsEndpointAutoConfiguration" })
@ConditionalOnClass(Session.class)
public final class SessionIntegrationAutoConfiguration {

	@Bean
	@ConditionalOnBean(RedisPatternsSessionRepository.class)
	@ConditionalOnMissingBean
	UserSessions redisPatternsUserSessions(RedisPatternsSessionRepository repository) {
		return new RedisUserSessions(repository);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(name = "jakarta.servlet.Filter")
	@ConditionalOnBean(RedisPatternsSessionRepository.class)
	static class SessionWebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionClientFilter redisPatternsSessionClientFilter(Environment environment, RedisPatternsSessionProperties properties) {
			int sessionFilterOrder = environment.getProperty("spring.session.servlet.filter-order", Integer.class,
					SessionRepositoryFilter.DEFAULT_ORDER);
			return new SessionClientFilter(sessionFilterOrder - 1, ClientAddressResolver
				.forProperty(RedisPatternsSessionAutoConfiguration.TRUSTED_PROXIES, properties.getTrustedProxies()));
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBean(SessionRepository.class)
		@ConditionalOnMissingBean(SessionRepositoryFilter.class)
		@Import(SpringHttpSessionConfiguration.class)
		static class SessionRepositoryFilterConfiguration {

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(DefaultCookieSerializerCustomizer.class)
		static class CookieConfiguration {

			@Bean
			@ConditionalOnMissingBean({ CookieSerializer.class, HttpSessionIdResolver.class })
			DefaultCookieSerializer redisPatternsCookieSerializer(Environment environment,
					ObjectProvider<DefaultCookieSerializerCustomizer> customizers) {
				DefaultCookieSerializer serializer = SessionCookies.serializer(Binder.get(environment));
				customizers.orderedStream().forEach((customizer) -> customizer.customize(serializer));
				return serializer;
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ SessionRegistry.class, SpringSessionBackedSessionRegistry.class })
	static class SessionRegistryConfiguration {

		@Bean
		@ConditionalOnBean(FindByIndexNameSessionRepository.class)
		@ConditionalOnMissingBean(SessionRegistry.class)
		<S extends Session> SpringSessionBackedSessionRegistry<S> redisPatternsSessionRegistry(
				FindByIndexNameSessionRepository<S> repository) {
			return new SpringSessionBackedSessionRegistry<>(repository);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	@ConditionalOnBean(RedisPatternsSessionRepository.class)
	static class SessionEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionEndpointDetails redisPatternsSessionEndpointDetails(RedisPatternsSessionRepository repository,
				RedisConnectionFactory connectionFactory) {
			return new SessionEndpointDetails(repository,
					new SessionKeyspaceCounts(new StringRedisTemplate(connectionFactory)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.Health")
	@ConditionalOnBean(RedisPatternsSessionRepository.class)
	static class SessionHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionHealthDetails redisPatternsSessionHealthDetails(RedisPatternsSessionRepository repository,
				SessionEventCounts counts) {
			return new SessionHealthDetails(repository, counts);
		}

	}

}

package io.redispatterns.ratelimit.internal;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.core.AnnotationValues;
import io.redispatterns.core.ClientAddressResolver;
import io.redispatterns.ratelimit.RateLimitKeyContext;
import io.redispatterns.ratelimit.RateLimitKeyResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.support.StandardEvaluationContext;

/**
 * Parses key specifications ({@code ip}, {@code principal}, {@code header:<name>},
 * {@code bean:<name>}, {@code global}, {@code #spel} or {@code spel:<expression>}) into
 * resolvers, once per specification. SpEL comes only from annotations and configuration.
 */
final class KeySources {

	static final String ALLOWED = "ip, principal, global, header:<name>, bean:<name>, #<SpEL> or spel:<SpEL>";

	private final @Nullable BeanFactory beanFactory;

	private final ClientAddressResolver clientAddresses;

	private final AnnotationValues values;

	private final Map<String, KeySource> cache = new ConcurrentHashMap<>();

	KeySources(@Nullable BeanFactory beanFactory, AnnotationValues values, ClientAddressResolver clientAddresses) {
		this.beanFactory = beanFactory;
		this.values = values;
		this.clientAddresses = clientAddresses;
	}

	/** A client key resolver; returns null when the key is missing. */
	interface KeySource {

		@Nullable String resolve(RateLimitKeyContext context);

	}

	/**
	 * Returns the resolver for a specification.
	 * @throws IllegalArgumentException describing what is wrong with the specification
	 */
	KeySource forSpec(String spec) {
		KeySource source = this.cache.get(spec);
		if (source == null) {
			source = parse(spec);
			this.cache.put(spec, source);
		}
		return source;
	}

	private KeySource parse(String spec) {
		String value = spec.trim();
		if (value.equals("ip")) {
			return (context) -> (context.request() != null) ? this.clientAddresses.resolve(context.request()) : null;
		}
		if (value.equals("principal")) {
			return (context) -> {
				HttpServletRequest request = context.request();
				Principal principal = (request != null) ? request.getUserPrincipal() : null;
				return (principal != null) ? principal.getName() : null;
			};
		}
		if (value.equals("global")) {
			return (context) -> "global";
		}
		if (value.startsWith("header:")) {
			String header = value.substring("header:".length()).trim();
			if (header.isEmpty()) {
				throw new IllegalArgumentException("header: needs a header name, such as header:X-Api-Key");
			}
			return (context) -> (context.request() != null) ? context.request().getHeader(header) : null;
		}
		if (value.startsWith("bean:")) {
			String name = value.substring("bean:".length()).trim();
			if (name.isEmpty() || this.beanFactory == null) {
				throw new IllegalArgumentException("bean: needs the name of a RateLimitKeyResolver bean");
			}
			BeanFactory factory = this.beanFactory;
			return (context) -> factory.getBean(name, RateLimitKeyResolver.class).resolve(context);
		}
		if (value.startsWith("#") || value.startsWith("spel:")) {
			String text = value.startsWith("spel:") ? value.substring("spel:".length()) : value;
			Expression expression;
			try {
				expression = this.values.expression(text);
			}
			catch (ParseException ex) {
				throw new IllegalArgumentException("invalid SpEL expression: " + ex.getMessage());
			}
			return (context) -> {
				Object key = expression.getValue(evaluationContext(context));
				return (key != null) ? key.toString() : null;
			};
		}
		throw new IllegalArgumentException("unknown key '" + spec + "'");
	}

	private StandardEvaluationContext evaluationContext(RateLimitKeyContext context) {
		Method method = context.method();
		@Nullable Object[] arguments = (context.arguments() != null) ? context.arguments() : new Object[0];
		StandardEvaluationContext evaluation = this.values.context(context, method, arguments);
		context.pathVariables().forEach(evaluation::setVariable);
		evaluation.setVariable("request", context.request());
		evaluation.setVariable("args", arguments);
		evaluation.setVariable("pathVariables", context.pathVariables());
		return evaluation;
	}

}

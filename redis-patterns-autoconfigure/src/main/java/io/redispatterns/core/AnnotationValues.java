package io.redispatterns.core;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.util.StringValueResolver;

/**
 * Reads the String attributes of the library's annotations in one way for every pattern:
 * resolves {@code ${...}} placeholders, parses durations and evaluates SpEL key expressions.
 * <p>
 * <strong>Internal:</strong> public only so that every pattern package can share it; not part of
 * the supported API and may change without notice.
 * <p>
 * Rules: an attribute that is blank, or whose placeholders resolve to blank, is unset. A
 * malformed duration fails with an {@link InvalidRedisPatternsPropertyException} whose property
 * is {@code "<where> (<attribute>)"}, such as {@code @DistributedLock on Jobs.run (lease)}.
 * Expressions are parsed once per text and evaluated against a
 * {@link MethodBasedEvaluationContext} (arguments by name, {@code #p0}/{@code #a0}) that resolves
 * {@code @bean} references through the bean factory.
 */
public final class AnnotationValues {

	/** What a duration attribute accepts, as told in error messages. */
	public static final String DURATION_FORM = "a duration such as 500ms, 30s or PT30S";

	private static final SpelExpressionParser PARSER = new SpelExpressionParser();

	private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

	private final @Nullable StringValueResolver placeholders;

	private final @Nullable BeanFactoryResolver beans;

	private final Map<String, Expression> expressions = new ConcurrentHashMap<>();

	/**
	 * Creates values that resolve placeholders through {@code placeholders} and bean references
	 * through {@code beanFactory}.
	 * @param placeholders resolves {@code ${...}}; {@code null} leaves values as they are
	 * @param beanFactory resolves {@code @bean} references in expressions; may be {@code null}
	 */
	public AnnotationValues(@Nullable StringValueResolver placeholders, @Nullable BeanFactory beanFactory) {
		this.placeholders = placeholders;
		this.beans = (beanFactory != null) ? new BeanFactoryResolver(beanFactory) : null;
	}

	/**
	 * Creates values that use a bean factory for placeholders (when it is a
	 * {@link ConfigurableBeanFactory}) and for bean references.
	 * @param beanFactory the bean factory; may be {@code null}
	 * @return the values
	 */
	public static AnnotationValues of(@Nullable BeanFactory beanFactory) {
		StringValueResolver placeholders = (beanFactory instanceof ConfigurableBeanFactory configurable)
				? configurable::resolveEmbeddedValue : null;
		return new AnnotationValues(placeholders, beanFactory);
	}

	/**
	 * Resolves the placeholders of an attribute.
	 * @param raw the attribute as written
	 * @return the resolved value, untrimmed; empty when it resolves to nothing
	 */
	public String resolve(String raw) {
		if (raw.isEmpty() || this.placeholders == null) {
			return raw;
		}
		String resolved = this.placeholders.resolveStringValue(raw);
		return (resolved != null) ? resolved : "";
	}

	/**
	 * Resolves the placeholders of an attribute and trims it.
	 * @param raw the attribute as written
	 * @return the trimmed value, or {@code null} when it is blank (unset)
	 */
	public @Nullable String text(String raw) {
		String resolved = resolve(raw).trim();
		return resolved.isEmpty() ? null : resolved;
	}

	/**
	 * Resolves and parses a duration attribute ({@code 500ms}, {@code 30s}, {@code PT30S}, or a
	 * number of milliseconds).
	 * @param raw the attribute as written
	 * @param attribute the attribute name, such as {@code lease}
	 * @param where the annotation and its place, such as {@code @DistributedLock on Jobs.run}
	 * @return the duration, or {@code null} when the attribute is unset
	 * @throws InvalidRedisPatternsPropertyException naming {@code where} and {@code attribute}
	 * when the value is not a duration
	 */
	public @Nullable Duration duration(String raw, String attribute, String where) {
		String value = text(raw);
		if (value == null) {
			return null;
		}
		try {
			return DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRedisPatternsPropertyException(where + " (" + attribute + ")", value, DURATION_FORM);
		}
	}

	/**
	 * Parses a SpEL expression once per text.
	 * @param text the expression
	 * @return the parsed expression
	 * @throws ParseException when the text is not a valid expression
	 */
	public Expression expression(String text) {
		Expression expression = this.expressions.get(text);
		if (expression == null) {
			expression = PARSER.parseExpression(text);
			this.expressions.put(text, expression);
		}
		return expression;
	}

	/**
	 * Creates the context to evaluate expressions of a method invocation in: arguments by name
	 * (and {@code #p0}/{@code #a0}), {@code @bean} references, the given root object. Without a
	 * method only the root object and bean references are available.
	 * @param root the root object of the expressions
	 * @param method the invoked method, or {@code null}
	 * @param args the arguments of the invocation
	 * @return a new context; callers may add variables
	 */
	public StandardEvaluationContext context(@Nullable Object root, @Nullable Method method, @Nullable Object[] args) {
		StandardEvaluationContext context = (method != null)
				? new MethodBasedEvaluationContext(root, method, args, PARAMETER_NAMES)
				: new StandardEvaluationContext(root);
		if (this.beans != null) {
			context.setBeanResolver(this.beans);
		}
		return context;
	}

	/**
	 * Evaluates an expression for a method invocation.
	 * @param expression the expression
	 * @param method the invoked method
	 * @param args the arguments of the invocation
	 * @param root the root object of the expression
	 * @return the value, possibly {@code null}
	 */
	public @Nullable Object evaluate(Expression expression, Method method, @Nullable Object[] args,
			@Nullable Object root) {
		return expression.getValue(context(root, method, args));
	}

}

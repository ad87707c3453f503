package io.redispatterns.core;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelEvaluationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AnnotationValuesTests {

	private static final String WHERE = "@Test on Service.run";

	private final AnnotationValues values = AnnotationValues.of(beanFactory());

	@Test
	void resolvesPlaceholdersThroughTheBeanFactory() {
		assertThat(this.values.resolve("${app.name}")).isEqualTo("orders");
		assertThat(this.values.resolve("prefix-${app.name}")).isEqualTo("prefix-orders");
		assertThat(this.values.resolve("${app.missing:fallback}")).isEqualTo("fallback");
		assertThat(this.values.resolve("")).isEmpty();
	}

	@Test
	void textIsTrimmedAndBlankIsUnset() {
		assertThat(this.values.text("  ${app.name} ")).isEqualTo("orders");
		assertThat(this.values.text("")).isNull();
		assertThat(this.values.text("   ")).isNull();
		assertThat(this.values.text("${app.blank}")).isNull();
		assertThat(this.values.text("${app.missing:}")).isNull();
	}

	@Test
	void parsesEveryDurationForm() {
		assertThat(this.values.duration("500ms", "lease", WHERE)).isEqualTo(Duration.ofMillis(500));
		assertThat(this.values.duration("30s", "lease", WHERE)).isEqualTo(Duration.ofSeconds(30));
		assertThat(this.values.duration("PT2M", "lease", WHERE)).isEqualTo(Duration.ofMinutes(2));
		assertThat(this.values.duration("1500", "lease", WHERE)).isEqualTo(Duration.ofMillis(1500));
		assertThat(this.values.duration(" 10s ", "lease", WHERE)).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.values.duration("${app.ttl}", "lease", WHERE)).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void blankOrBlankPlaceholderDurationIsUnset() {
		assertThat(this.values.duration("", "lease", WHERE)).isNull();
		assertThat(this.values.duration("  ", "lease", WHERE)).isNull();
		assertThat(this.values.duration("${app.blank}", "lease", WHERE)).isNull();
		assertThat(this.values.duration("${app.missing:}", "lease", WHERE)).isNull();
	}

	@Test
	void malformedDurationNamesWhereAttributeValueAndForm() {
		assertThatExceptionOfType(InvalidRedisPatternsPropertyException.class)
			.isThrownBy(() -> this.values.duration("${app.name}", "waitFor", WHERE))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("@Test on Service.run (waitFor)");
				assertThat(ex.getValue()).isEqualTo("orders");
				assertThat(ex.getAllowed()).isEqualTo(AnnotationValues.DURATION_FORM);
			})
			.withMessageContaining("@Test on Service.run (waitFor)")
			.withMessageContaining("'orders'")
			.withMessageContaining("500ms, 30s or PT30S");
	}

	@Test
	void withoutBeanFactoryValuesStayAsWritten() {
		AnnotationValues plain = AnnotationValues.of(null);
		assertThat(plain.resolve("${app.name}")).isEqualTo("${app.name}");
		assertThat(plain.duration("2s", "ttl", WHERE)).isEqualTo(Duration.ofSeconds(2));
		assertThatExceptionOfType(InvalidRedisPatternsPropertyException.class)
			.isThrownBy(() -> plain.duration("${app.ttl}", "ttl", WHERE))
			.withMessageContaining("(ttl)");
	}

	@Test
	void customResolverIsUsedForPlaceholders() {
		AnnotationValues custom = new AnnotationValues((raw) -> raw.equals("${x}") ? "3s" : null, null);
		assertThat(custom.duration("${x}", "block", WHERE)).isEqualTo(Duration.ofSeconds(3));
		assertThat(custom.resolve("${y}")).isEmpty();
		assertThat(custom.duration("${y}", "block", WHERE)).isNull();
	}

	@Test
	void expressionsAreParsedOncePerText() {
		Expression first = this.values.expression("#id + 1");
		assertThat(this.values.expression("#id + 1")).isSameAs(first);
		assertThat(this.values.expression("#id + 2")).isNotSameAs(first);
		assertThatExceptionOfType(ParseException.class).isThrownBy(() -> this.values.expression("#id +"));
	}

	@Test
	void evaluatesArgumentsByNameAndIndexBeansAndRoot() throws Exception {
		Method method = Service.class.getDeclaredMethod("find", String.class, int.class);
		Object[] args = { "eu", 7 };
		assertThat(this.values.evaluate(this.values.expression("#region + ':' + #page"), method, args, null))
			.isEqualTo("eu:7");
		assertThat(this.values.evaluate(this.values.expression("#p0 + #a1"), method, args, null)).isEqualTo("eu7");
		assertThat(this.values.evaluate(this.values.expression("@greeting + #region"), method, args, null))
			.isEqualTo("hello eu");
		assertThat(this.values.evaluate(this.values.expression("name + '/' + #page"), method, args, new Service()))
			.isEqualTo("service/7");
		assertThat(this.values.evaluate(this.values.expression("#missing"), method, args, null)).isNull();
	}

	@Test
	void contextWithoutMethodOffersRootAndBeans() {
		EvaluationContext context = this.values.context(new Service(), null, new Object[0]);
		context.setVariable("extra", "x");
		assertThat(this.values.expression("name + @greeting + #extra").getValue(context)).isEqualTo("servicehello x");
	}

	@Test
	void beanReferencesNeedABeanFactory() throws Exception {
		Method method = Service.class.getDeclaredMethod("find", String.class, int.class);
		AnnotationValues plain = AnnotationValues.of(null);
		assertThatExceptionOfType(SpelEvaluationException.class)
			.isThrownBy(() -> plain.evaluate(plain.expression("@greeting"), method, new Object[] { "eu", 1 }, null));
	}

	private static DefaultListableBeanFactory beanFactory() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("app.name", "orders", "app.blank", " ", "app.ttl", "5m")));
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.addEmbeddedValueResolver(environment::resolvePlaceholders);
		beanFactory.registerSingleton("greeting", "hello ");
		return beanFactory;
	}

	static class Service {

		public String getName() {
			return "service";
		}

		String find(String region, int page) {
			return region + page;
		}

	}

}

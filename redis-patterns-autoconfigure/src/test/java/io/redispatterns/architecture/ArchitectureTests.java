package io.redispatterns.architecture;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering of the library, pinned: every pattern depends on {@code core} and on no other pattern unless
 * listed here (with the reason), {@code core} depends on no pattern, and nothing depends on {@code actuate}
 * (patterns contribute health and endpoint sections through {@code core}'s {@code PatternHealthDetails} and
 * {@code PatternEndpointDetails}). And the public API line: a pattern's own package
 * ({@code io.redispatterns.<pattern>}) holds what users write and inject; the implementations of its interfaces
 * and the Spring plumbing that runs them live in {@code <pattern>.internal} (or are package-private).
 */
class ArchitectureTests {

	private static final String ROOT = "io.redispatterns";

	/** Patterns that may use another pattern, and why. Everything else must stay independent. */
	private static final Map<String, Set<String>> ALLOWED = Map.of(
			// the HTTP response cache reuses the cache's tag index and its distributed loader
			"responsecache", Set.of("cache", "web"),
			// write-through keeps the cache and the database in step through the cache's template
			"writebehind", Set.of("cache"),
			// the operator console shows and acts on every pattern through its public API
			"console", Set.of("cache", "lock", "ratelimit", "stream", "pubsub", "session", "queue", "idempotency",
					"keyspace", "leaderboard", "writebehind", "responsecache", "web"),
			// the job queue's per-queue rate limit runs the rate-limit package's algorithms (ratelimit.internal)
			"queue", Set.of("ratelimit"),
			// idempotent requests answer Redis faults like every web-facing pattern
			"idempotency", Set.of("web"),
			// the rate limiter's HTTP answers share the web package's problem rendering
			"ratelimit", Set.of("web"),
			// session encryption and cache encryption share one codec
			"session", Set.of("crypto"), "cache", Set.of("crypto"));

	/**
	 * Public implementations that users create themselves, so they stay in the API package (with where users are
	 * shown them).
	 */
	private static final Set<String> USER_FACING_IMPLEMENTATIONS = Set.of(
			// README "Encryption": a KeyProvider bean returns new StaticKeyProvider(...)
			ROOT + ".crypto.StaticKeyProvider",
			// README "Redis failures over HTTP": an application's own resolver bean replaces it
			ROOT + ".web.RedisFailureExceptionResolver");

	/**
	 * Public classes of a pattern's API package that may use its internal package, and why: they create the
	 * implementation. The line is crossed one way only: no internal class depends on them, so no cycle runs
	 * through them.
	 */
	private static final Map<String, String> ENTRY_POINTS = Map.of(ROOT + ".lock.LockTemplateBuilder",
			"LockTemplate.builder(..).build() creates the Redis implementation through lock.internal.LockTemplateFactory",
			ROOT + ".leaderboard.LeaderboardsBuilder",
			"Leaderboards.builder(..).build() creates leaderboard.internal.RedisLeaderboards");

	/** Spring plumbing that runs a pattern: registered by the auto-configuration, never written by users. */
	private static final List<String> INFRASTRUCTURE = List.of(
			"org.springframework.beans.factory.config.BeanPostProcessor",
			"org.aopalliance.intercept.MethodInterceptor", "org.springframework.web.servlet.HandlerInterceptor",
			"org.springframework.web.servlet.HandlerExceptionResolver", "jakarta.servlet.Filter");

	private static final JavaClasses LIBRARY = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void coreDependsOnNoPattern() {
		noClasses().that()
			.resideInAPackage(ROOT + ".core..")
			.should()
			.dependOnClassesThat(new com.tngtech.archunit.base.DescribedPredicate<JavaClass>("a pattern") {
				@Override
				public boolean test(JavaClass type) {
					String pattern = patternOf(type);
					return pattern != null && !pattern.equals("core");
				}
			})
			.check(LIBRARY);
	}

	@Test
	void nothingDependsOnActuate() {
		noClasses().that()
			.resideOutsideOfPackage(ROOT + ".actuate..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(ROOT + ".actuate..")
			.check(LIBRARY);
	}

	@Test
	void patternsDependOnCoreAndOnlyOnThePatternsListed() {
		classes().that()
			.resideInAPackage(ROOT + "..")
			.and()
			.resideOutsideOfPackages(ROOT + ".core..", ROOT + ".actuate..", ROOT + ".test..")
			.should(new ArchCondition<JavaClass>("depend only on core and the patterns listed in ALLOWED") {
				@Override
				public void check(JavaClass type, ConditionEvents events) {
					String own = patternOf(type);
					type.getDirectDependenciesFromSelf().forEach((dependency) -> {
						String target = patternOf(dependency.getTargetClass());
						if (own != null && target != null && !target.equals(own) && !target.equals("core")
								&& !target.equals("actuate") && !ALLOWED.getOrDefault(own, Set.of()).contains(target)) {
							events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
						}
					});
				}
			})
			.check(LIBRARY);
	}

	@Test
	void implementationsAndPlumbingLiveInInternalPackages() {
		classes().that()
			.arePublic()
			.and()
			.areTopLevelClasses()
			.and(new com.tngtech.archunit.base.DescribedPredicate<JavaClass>("are in a pattern's API package") {
				@Override
				public boolean test(JavaClass type) {
					String pattern = patternOf(type);
					// core is the shared base, actuate the health indicators users see, test the test-support module
					return pattern != null && !Set.of("core", "actuate", "test").contains(pattern)
							&& type.getPackageName().equals(ROOT + "." + pattern);
				}
			})
			.should(new ArchCondition<JavaClass>("not implement the library's interfaces nor be Spring plumbing "
					+ "(bean post-processors, interceptors, filters, exception resolvers, controller advice)") {
				@Override
				public void check(JavaClass type, ConditionEvents events) {
					if (type.isInterface() || type.isAnnotation() || USER_FACING_IMPLEMENTATIONS.contains(type.getName())) {
						return;
					}
					type.getAllRawInterfaces()
						.stream()
						.filter((implemented) -> implemented.getPackageName().startsWith(ROOT + "."))
						.forEach((implemented) -> events.add(SimpleConditionEvent.violated(type,
								type.getName() + " implements " + implemented.getName()
										+ ": an implementation belongs in the pattern's internal package")));
					INFRASTRUCTURE.stream()
						.filter(type::isAssignableTo)
						.forEach((plumbing) -> events.add(SimpleConditionEvent.violated(type,
								type.getName() + " is a " + plumbing + ": plumbing belongs in the pattern's internal package")));
					if (type.isMetaAnnotatedWith("org.springframework.web.bind.annotation.ControllerAdvice")) {
						events.add(SimpleConditionEvent.violated(type,
								type.getName() + " is controller advice: plumbing belongs in the pattern's internal package"));
					}
				}
			})
			.check(LIBRARY);
	}

	@Test
	void anApiPackageUsesItsInternalPackageOnlyThroughItsEntryPoints() {
		classes().that()
			.resideInAPackage(ROOT + "..")
			.should(new ArchCondition<JavaClass>("not depend on its pattern's internal package, unless it is an entry "
					+ "point listed in ENTRY_POINTS") {
				@Override
				public void check(JavaClass type, ConditionEvents events) {
					String pattern = patternOf(type);
					if (pattern == null || !type.getPackageName().equals(ROOT + "." + pattern)
							|| ENTRY_POINTS.containsKey(outermost(type).getName())) {
						return;
					}
					type.getDirectDependenciesFromSelf()
						.stream()
						.filter((dependency) -> dependency.getTargetClass()
							.getPackageName()
							.equals(ROOT + "." + pattern + ".internal"))
						.forEach((dependency) -> events.add(SimpleConditionEvent.violated(dependency,
								dependency.getDescription() + ": the API package reaches its internal package only "
										+ "through an entry point (ENTRY_POINTS)")));
				}
			})
			.check(LIBRARY);
	}

	@Test
	void noInternalClassDependsBackOnTheEntryPointThatCreatesIt() {
		noClasses().that()
			.resideInAPackage(ROOT + ".*.internal..")
			.should()
			.dependOnClassesThat(new com.tngtech.archunit.base.DescribedPredicate<JavaClass>("are entry points") {
				@Override
				public boolean test(JavaClass type) {
					return ENTRY_POINTS.containsKey(outermost(type).getName());
				}
			})
			.check(LIBRARY);
	}

	private static JavaClass outermost(JavaClass type) {
		JavaClass current = type;
		while (current.getEnclosingClass().isPresent()) {
			current = current.getEnclosingClass().get();
		}
		return current;
	}

	/** The pattern a class belongs to: the first package segment under the root, or null outside the library. */
	private static String patternOf(JavaClass type) {
		JavaPackage pkg = type.getPackage();
		String name = pkg.getName();
		if (!name.startsWith(ROOT + ".")) {
			return null;
		}
		String rest = name.substring(ROOT.length() + 1);
		int dot = rest.indexOf('.');
		return (dot < 0) ? rest : rest.substring(0, dot);
	}

}

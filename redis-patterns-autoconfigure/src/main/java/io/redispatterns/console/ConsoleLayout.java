package io.redispatterns.console;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The frame of every console page: a skip link, the navigation between sections, one {@code h1}
 * per page (written by the page), a live region for notices, and the console's own style sheet
 * and script (no inline script, so a strict Content-Security-Policy applies).
 */
final class ConsoleLayout {

	private ConsoleLayout() {
	}

	static String render(String baseUrl, List<ConsoleSection> sections, @Nullable String activeId, String title,
			String content, @Nullable String notice, @Nullable String operator, boolean actionsEnabled) {
		Html html = new Html();
		html.raw("<!DOCTYPE html>").open("html", "lang", "en").open("head").open("meta", "charset", "utf-8");
		html.open("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
		html.element("title", title + " · redis-patterns console");
		html.open("link", "rel", "stylesheet", "href", baseUrl + "/assets/console.css");
		html.open("script", "src", baseUrl + "/assets/console.js", "defer", "defer").close("script");
		html.close("head").open("body");
		html.element("a", "Skip to content", "class", "skip", "href", "#main");
		html.open("header").open("p", "class", "brand").link(baseUrl, "redis-patterns console").close("p");
		html.open("nav", "aria-label", "Console sections").open("ul");
		for (ConsoleSection section : sections) {
			html.open("li")
				.element("a", section.title(), "href", baseUrl + "/" + section.id(), "aria-current",
						section.id().equals(activeId) ? "page" : null)
				.close("li");
		}
		html.close("ul").close("nav");
		html.open("p", "class", "who");
		if (operator != null) {
			html.text("Signed in as " + operator + ". ");
		}
		html.text(actionsEnabled ? "Actions enabled." : "Read-only: actions are disabled.").close("p");
		html.close("header");
		html.open("main", "id", "main", "tabindex", "-1");
		html.open("div", "role", "status", "class", (notice != null) ? "notice" : "notice empty");
		if (notice != null) {
			html.text(notice);
		}
		html.close("div");
		html.raw(content);
		html.close("main").close("body").close("html");
		return html.toString();
	}

}

package dev.fastcgi.servlet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The locales of an {@code Accept-Language} header, most preferred first.
 */
final class AcceptLanguage {

	private AcceptLanguage() {
	}

	/**
	 * Parses the header: ranges ordered by quality (stable for equal qualities); {@code q=0} and
	 * malformed entries are left out, {@code *} is {@link Locale#ROOT} as on Tomcat.
	 * @return the locales, empty when the header names none
	 */
	static List<Locale> parse(String header) {
		List<WeightedLocale> weighted = new ArrayList<>();
		if (header == null) {
			return List.of();
		}
		for (String range : header.split(",")) {
			String[] parts = range.split(";");
			String tag = parts[0].trim();
			double quality = quality(parts);
			if (tag.isEmpty() || quality <= 0) {
				continue;
			}
			Locale locale = Locale.forLanguageTag(tag);
			if (!locale.getLanguage().isEmpty() || tag.equals("*")) {
				weighted.add(new WeightedLocale(locale, quality));
			}
		}
		weighted.sort(Comparator.comparingDouble(WeightedLocale::quality).reversed());
		return weighted.stream().map(WeightedLocale::locale).toList();
	}

	private static double quality(String[] parts) {
		for (int i = 1; i < parts.length; i++) {
			String parameter = parts[i].trim();
			if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
				try {
					return Double.parseDouble(parameter.substring(2));
				}
				catch (NumberFormatException ex) {
					return 0;
				}
			}
		}
		return 1;
	}

	private record WeightedLocale(Locale locale, double quality) {
	}

}

package dev.countersign.cli;

import dev.countersign.audit.AuditExport;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values the operator types. */
final class Converters {

    private Converters() {
    }

    /** {@code csv} or {@code json}, any case. */
    static final class FormatConverter implements ITypeConverter<AuditExport.Format> {
        @Override
        public AuditExport.Format convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "csv" -> AuditExport.Format.CSV;
                case "json" -> AuditExport.Format.JSON;
                default -> throw new TypeConversionException("use csv or json");
            };
        }
    }

    /** {@code 2026-11-01} (midnight UTC), {@code 2026-11-01T10:00:00Z} or with an offset. */
    static final class SinceConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                // try the longer forms
            }
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("use a date like 2026-11-01 or an instant like "
                        + "2026-11-01T10:00:00Z");
            }
        }
    }
}

package dev.replyclock.ingest;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A lenient, exception-free reader of RFC 5322 dates as real mail writes them (SPEC sections 2, 13
 * "Time"): optional weekday, day and month in either order (also {@code asctime} style), 2-, 3- or
 * 4-digit years (RFC 5322 obsolete rules: 00-49 = 20xx, 50-99 = 19xx, 3 digits + 1900), missing
 * seconds, comments. Zones: {@code +hhmm}/{@code -hhmm}; UT, UTC, GMT, Z and the RFC 5322 US names
 * (EST, EDT, CST, CDT, MST, MDT, PST, PDT); no zone, {@code -0000}, an unknown name or a malformed
 * offset count as UTC. Years outside 1900-2200, impossible days and missing times give null.
 */
public final class MailDates {

    public static final int MIN_YEAR = 1900;
    public static final int MAX_YEAR = 2200;

    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
        "oct", "nov", "dec"};
    private static final String[] MONTH_NAMES = {"january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december"};
    private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    private MailDates() {
    }

    /** The instant of a Date-like value, or null when it cannot be read. */
    public static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        int n = value.length();
        int day = -1;
        int month = -1;
        int year = -1;
        int yearDigits = 0;
        int hour = -1;
        int minute = -1;
        int second = 0;
        int offset = 0;
        boolean zoneSeen = false;
        boolean pm = false;
        boolean am = false;
        int i = 0;
        while (i < n) {
            char c = value.charAt(i);
            if (c == '(') { // comment
                int depth = 0;
                while (i < n) {
                    char d = value.charAt(i++);
                    if (d == '(') {
                        depth++;
                    } else if (d == ')' && --depth == 0) {
                        break;
                    }
                }
                continue;
            }
            if (isDigit(c)) {
                int s = i;
                while (i < n && isDigit(value.charAt(i))) {
                    i++;
                }
                int len = i - s;
                if (i < n && value.charAt(i) == ':' && hour < 0) {
                    // time h:mm[:ss[.frac]]
                    if (len > 2) {
                        return null;
                    }
                    hour = number(value, s, i);
                    int ms = ++i;
                    while (i < n && isDigit(value.charAt(i))) {
                        i++;
                    }
                    if (i - ms != 2) {
                        return null;
                    }
                    minute = number(value, ms, i);
                    if (i < n && value.charAt(i) == ':') {
                        int ss = ++i;
                        while (i < n && isDigit(value.charAt(i))) {
                            i++;
                        }
                        if (i - ss != 2) {
                            return null;
                        }
                        second = number(value, ss, i);
                        if (i < n && (value.charAt(i) == '.' || value.charAt(i) == ',')) {
                            i++;
                            while (i < n && isDigit(value.charAt(i))) {
                                i++;
                            }
                        }
                    }
                    continue;
                }
                if (len > 4) {
                    continue; // junk number
                }
                int v = number(value, s, i);
                if (len >= 3) {
                    if (year < 0) {
                        year = v;
                        yearDigits = len;
                    }
                } else if (day < 0 && (year < 0 || month >= 0)) {
                    day = v;
                } else if (year < 0) {
                    year = v;
                    yearDigits = len;
                }
                continue;
            }
            if ((c == '+' || c == '-') && hour >= 0 && !zoneSeen) {
                int s = i + 1;
                int k = s;
                while (k < n && isDigit(value.charAt(k))) {
                    k++;
                }
                int len = k - s;
                if (len == 4 || len == 2) {
                    int hh = number(value, s, s + 2);
                    int mm = len == 4 ? number(value, s + 2, s + 4) : 0;
                    zoneSeen = true;
                    if (hh <= 23 && mm <= 59) {
                        offset = (c == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
                    }
                    i = k;
                    continue;
                }
                i++;
                continue;
            }
            if (isLetter(c)) {
                int s = i;
                while (i < n && isLetter(value.charAt(i))) {
                    i++;
                }
                String word = value.substring(s, i).toLowerCase(java.util.Locale.ROOT);
                int m = month(word);
                if (m > 0) {
                    if (month < 0) {
                        month = m;
                    }
                    continue;
                }
                if (isDay(word)) {
                    continue;
                }
                if (word.equals("pm")) {
                    pm = true;
                    continue;
                }
                if (word.equals("am")) {
                    am = true;
                    continue;
                }
                if (hour >= 0 && !zoneSeen) {
                    offset = namedZone(word);
                    // "GMT+0100": a numeric offset right after GMT/UT/UTC still counts
                    zoneSeen = !(word.equals("gmt") || word.equals("ut") || word.equals("utc"))
                            || i >= n || (value.charAt(i) != '+' && value.charAt(i) != '-');
                }
                continue;
            }
            i++;
        }
        if (day < 1 || month < 1 || year < 0 || hour < 0) {
            return null;
        }
        if (yearDigits <= 2) {
            year += year < 50 ? 2000 : 1900;
        } else if (yearDigits == 3) {
            year += 1900;
        }
        if (pm && hour < 12) {
            hour += 12;
        } else if (am && hour == 12) {
            hour = 0;
        }
        if (year < MIN_YEAR || year > MAX_YEAR || hour > 23 || minute > 59 || second > 60
                || day > daysInMonth(year, month)) {
            return null;
        }
        if (second == 60) {
            second = 59; // leap second
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3600L + minute * 60L + second - offset);
    }

    private static int namedZone(String word) {
        return switch (word) {
            case "edt" -> -4 * 3600;
            case "est", "cdt" -> -5 * 3600;
            case "cst", "mdt" -> -6 * 3600;
            case "mst", "pdt" -> -7 * 3600;
            case "pst" -> -8 * 3600;
            default -> 0; // UT, UTC, GMT, Z, military letters and every unknown name: UTC
        };
    }

    private static int month(String word) {
        if (word.length() < 3) {
            return -1;
        }
        for (int m = 0; m < 12; m++) {
            if (word.length() == 3 ? word.equals(MONTHS[m]) : MONTH_NAMES[m].startsWith(word)) {
                return m + 1;
            }
        }
        return -1;
    }

    private static boolean isDay(String word) {
        if (word.length() < 3) {
            return false;
        }
        String prefix = word.substring(0, 3);
        for (String d : DAYS) {
            if (d.equals(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int number(String s, int from, int to) {
        int v = 0;
        for (int k = from; k < to; k++) {
            v = v * 10 + (s.charAt(k) - '0');
        }
        return v;
    }
}

// Serial numbers (dateTimeRenderOption=SERIAL_NUMBER) to dates and times.
// "The whole number portion of the value (left of the decimal) counts the
// days since December 30th 1899. The fractional portion (right of the
// decimal) counts the time as a fraction of the day"; 1900 is not a leap
// year. https://developers.google.com/workspace/sheets/api/reference/rest/v4/DateTimeRenderOption
// Conversions are exact to the millisecond (the finest a sheet shows): the
// fraction is rounded to the nearest millisecond, 23:59:59.9996 rounding up
// to the next day. Date-times carry no zone in a sheet: they are written as
// UTC with the sheet's wall-clock digits.
#pragma once

#include <string>

namespace gsheets {

// Appends the JSON string of `serial` as a date (YYYY-MM-DD, the day it
// falls in), a date-time (YYYY-MM-DDTHH:MM:SS[.mmm]Z) or a time
// (HH:MM:SS[.mmm], hours past 23 for durations of a day or more). Returns
// false, appending nothing, for a value outside years 0001-9999 (or a
// negative time, NaN, infinity).
bool append_serial_date(std::string& out, double serial);
bool append_serial_date_time(std::string& out, double serial);
bool append_serial_time(std::string& out, double serial);

}  // namespace gsheets

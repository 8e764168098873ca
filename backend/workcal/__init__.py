"""The working-time calendar (工作日历): working hours, weekends and a holiday table with make-up
working days (调休), and deadline arithmetic in working time. The calendar is data: the table
`workcalendarday` holds the exceptions to the weekday rule, one year at a time."""

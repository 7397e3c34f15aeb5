"""The cbecsim kernel: engine blocks on SimPy, calendars, random streams, milestone log,
monitors, runs, studies and the result store. It knows nothing of customs."""

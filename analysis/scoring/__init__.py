"""The threat/opportunity model: scores, quadrants, sensitivity, recommendation rules."""

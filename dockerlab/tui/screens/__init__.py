"""The app's screens: home (course map), first run, lab, theory, quiz, help."""

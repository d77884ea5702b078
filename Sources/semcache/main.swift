print("semcache")
